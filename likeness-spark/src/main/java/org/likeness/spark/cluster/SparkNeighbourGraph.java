package org.likeness.spark.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.likeness.gallery.cluster.NeighbourGraph;
import org.likeness.gallery.cluster.SimilarityGraph;
import scala.Tuple2;

/**
 * {@link NeighbourGraph} with its cells as Spark partitions: the same seeded cells (trained on the
 * driver on the same sample), each face's probed cells found on the executors, every cell's members
 * scored against the faces that probe it in int8 ({@link NeighbourGraph#scoreCell}, the local code),
 * each face's best candidates merged across cells on the executors, then re-scored in float and made
 * symmetric on the driver, where the linkage runs from the edges. Same cells, same scores: the same
 * graph as one machine builds, but for the order of exact ties.
 */
public final class SparkNeighbourGraph implements NeighbourGraph.Builder {
  private final JavaSparkContext jsc;
  private final int partitions;
  private final ForkJoinPool pool;

  /** Graphs built on {@code jsc}'s cluster over {@code partitions} partitions of cells; {@code pool} runs the driver's part. */
  public SparkNeighbourGraph(JavaSparkContext jsc, int partitions, ForkJoinPool pool) {
    this.jsc = jsc;
    this.partitions = partitions;
    this.pool = pool;
  }

  @Override
  public String describe() {
    return "on Spark " + jsc.master() + ", " + partitions + " partitions";
  }

  /** Consecutive faces from {@code from}, with their templates. */
  record Slice(int from, float[][] templates) implements java.io.Serializable {}

  /** One face's candidates, best first, each packed as id (high half) and similarity bits (low half): compact to shuffle. */
  record Candidates(long[] packed) implements java.io.Serializable {
    static Candidates of(int[] ids, float[] sims, int count) {
      long[] p = new long[count];
      for (int t = 0; t < count; t++) {
        p[t] = ((long) ids[t] << 32) | (Float.floatToRawIntBits(sims[t]) & 0xffffffffL);
      }
      return new Candidates(p);
    }

    int[] ids() {
      return java.util.Arrays.stream(packed).mapToInt(v -> (int) (v >>> 32)).toArray();
    }

    float[] sims() {
      float[] s = new float[packed.length];
      for (int t = 0; t < s.length; t++) {
        s[t] = Float.intBitsToFloat((int) packed[t]);
      }
      return s;
    }
  }

  @Override
  public SimilarityGraph build(float[][] e, int k, float floor, NeighbourGraph.Partition partition) {
    int n = e.length;
    if (n == 0) {
      return NeighbourGraph.of(e, k, floor, partition, pool);
    }
    float[][] centres = NeighbourGraph.centres(e, partition, pool);
    NeighbourGraph.Codes codes = NeighbourGraph.Codes.of(e, pool);
    Broadcast<float[][]> cells = jsc.broadcast(centres);
    Broadcast<NeighbourGraph.Codes> coded = jsc.broadcast(codes);
    int keep = NeighbourGraph.keep(k);
    // The float templates travel once, a slice with each task that finds its faces' cells; the int8 codes
    // (a quarter of the size) are broadcast, since every cell scores faces from everywhere.
    List<Slice> ranges = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      int from = (int) ((long) n * p / partitions), to = (int) ((long) n * (p + 1) / partitions);
      ranges.add(new Slice(from, java.util.Arrays.copyOfRange(e, from, to)));
    }
    // Per range of faces, per cell: (face << 1 | 1 when it is the face's own cell), one array per cell and range
    List<Tuple2<Integer, Candidates>> found = jsc.parallelize(ranges, partitions).flatMapToPair(r -> {
      java.util.Map<Integer, java.util.List<Integer>> byCell = new java.util.HashMap<>();
      for (int i = r.from(); i < r.from() + r.templates().length; i++) {
        int[] probes = NeighbourGraph.probes(cells.value(), r.templates()[i - r.from()], partition);
        for (int t = 0; t < probes.length; t++) {
          byCell.computeIfAbsent(probes[t], c -> new ArrayList<>()).add(i << 1 | (t == 0 ? 1 : 0));
        }
      }
      List<Tuple2<Integer, int[]>> out = new ArrayList<>();
      byCell.forEach((c, l) -> out.add(new Tuple2<>(c, l.stream().mapToInt(Integer::intValue).toArray())));
      return out.iterator();
    }).groupByKey(new HashPartitioner(partitions)).flatMapToPair(cell -> {
      List<Integer> all = new ArrayList<>();
      cell._2().forEach(a -> {
        for (int v : a) {
          all.add(v);
        }
      });
      int[] members = all.stream().filter(v -> (v & 1) == 1).mapToInt(v -> v >>> 1).sorted().toArray();
      int[] askers = all.stream().mapToInt(v -> v >>> 1).sorted().toArray();
      List<Tuple2<Integer, Candidates>> out = new ArrayList<>();
      NeighbourGraph.scoreCell(members, askers, 0, askers.length, coded.value(), keep, floor,
          (q, ids, sims, count) -> out.add(new Tuple2<>(q, Candidates.of(ids, sims, count))));
      return out.iterator();
    }).reduceByKey((a, b) -> merge(a, b, keep)).collect();
    NeighbourGraph.Nearest nearest = new NeighbourGraph.Nearest(n, keep);
    for (Tuple2<Integer, Candidates> f : found) {
      nearest.offer(f._1(), f._2().ids(), f._2().sims(), f._2().ids().length);
    }
    cells.destroy();
    coded.destroy();
    nearest.rescore(e, floor, k, pool);
    return nearest.symmetric(e);
  }

  private static Candidates merge(Candidates a, Candidates b, int keep) {
    int[] id = new int[keep];
    float[] sim = new float[keep];
    int c = 0;
    for (Candidates x : List.of(a, b)) {
      for (int t = 0; t < x.ids().length; t++) {
        if (c < keep || x.sims()[t] > sim[keep - 1]) {
          c = NeighbourGraph.insert(id, sim, c, x.ids()[t], x.sims()[t]);
        }
      }
    }
    return Candidates.of(id, sim, c);
  }
}
