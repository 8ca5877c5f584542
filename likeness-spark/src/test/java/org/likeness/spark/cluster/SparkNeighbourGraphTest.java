package org.likeness.spark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.cluster.ConstrainedLinkage;
import org.likeness.gallery.cluster.IncrementalAssigner;
import org.likeness.gallery.cluster.NeighbourGraph;
import org.likeness.gallery.cluster.SimilarityGraph;
import org.likeness.spark.SparkSessions;
import org.likeness.spark.search.SyntheticFaces;

/** The neighbour graph built on local[2] with cells as partitions is the graph one machine builds, and clusters the same. */
class SparkNeighbourGraphTest {
  @Test
  void theSameGraphAndClustersAsOneMachine() {
    int n = 30_000; // above the exact size: 173 cells, 32 probed by each face
    SyntheticFaces data = new SyntheticFaces(128, n / 6, 0.6, 0.35, 5);
    float[][] e = new float[n][];
    for (int i = 0; i < n; i++) {
      e[i] = data.face(i % (n / 6), i / (n / 6));
    }
    NeighbourGraph.Partition p = NeighbourGraph.Partition.forSize(n);
    assertThat(p.cells()).isGreaterThan(1);
    float floor = 0.3f;
    ForkJoinPool pool = new ForkJoinPool(2);
    SimilarityGraph local = NeighbourGraph.of(e, IncrementalAssigner.NEIGHBOURS, floor, p, pool);
    SparkSession spark = SparkSessions.open("local[2]");
    SimilarityGraph distributed;
    try {
      distributed = new SparkNeighbourGraph(JavaSparkContext.fromSparkContext(spark.sparkContext()), 8, pool)
          .build(e, IncrementalAssigner.NEIGHBOURS, floor, p);
    } finally {
      spark.stop();
    }
    long edges = 0, same = 0;
    for (int i = 0; i < n; i++) {
      Map<Integer, Float> a = new HashMap<>();
      for (int t = 0; t < local.neighbours(i).length; t++) {
        a.put(local.neighbours(i)[t], local.similarities(i)[t]);
      }
      edges += a.size();
      for (int t = 0; t < distributed.neighbours(i).length; t++) {
        Float s = a.get(distributed.neighbours(i)[t]);
        same += s != null && s == distributed.similarities(i)[t] ? 1 : 0;
      }
    }
    assertThat(edges).isPositive();
    assertThat(same / (double) edges).as("edges in both graphs, same similarity").isGreaterThanOrEqualTo(0.999);
    ConstrainedLinkage linkage = new ConstrainedLinkage(ClusterThresholds.DEFAULT.link());
    int[] a = linkage.cluster(local), b = linkage.cluster(distributed);
    // BCubed F of one clustering against the other: 1.0 when they are the same partition
    assertThat(agreement(a, b)).isGreaterThanOrEqualTo(0.999);
    pool.shutdownNow();
  }

  /** BCubed precision of {@code b} against {@code a} (symmetric use: the smaller of both directions). */
  static double agreement(int[] a, int[] b) {
    return Math.min(precision(a, b), precision(b, a));
  }

  private static double precision(int[] a, int[] b) {
    Map<Integer, Integer> sizeB = new HashMap<>();
    Map<Long, Integer> both = new HashMap<>();
    for (int i = 0; i < a.length; i++) {
      sizeB.merge(b[i], 1, Integer::sum);
      both.merge(((long) a[i] << 32) | (b[i] & 0xffffffffL), 1, Integer::sum);
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += both.get(((long) a[i] << 32) | (b[i] & 0xffffffffL)) / (double) sizeB.get(b[i]);
    }
    return sum / a.length;
  }
}
