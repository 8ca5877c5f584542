package org.likeness.spark.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.spark.SparkSessions;
import org.likeness.spark.search.SyntheticFaces;

/**
 * {@code clusters rebuild --spark}: a store's unknown sightings (above the exact size, so a
 * neighbour graph is built) re-clustered with the graph built on local[2] give the clusters one
 * machine gives, and the answer says where the graph was built.
 */
class SparkClusterRebuildTest {
  @Test
  void aStoreReclusteredOnSparkAsOnOneMachine(@TempDir Path home) {
    int n = 21_000, people = n / 6;
    SyntheticFaces data = new SyntheticFaces(128, people, 0.6, 0.35, 5);
    try (GalleryStore store = GalleryStore.open(home); AuditLog audit = AuditLog.open(home);
        GalleryService galleries = new GalleryService(store, audit, null);
        ClusterService clusters = new ClusterService(store, galleries, audit, "synthetic", 128, ClusterThresholds.DEFAULT)) {
      ScanStore scans = store.repositories().scans();
      for (int from = 0; from < n; from += 1000) {
        List<StoredSighting.New> rows = new ArrayList<>();
        for (int i = from; i < from + 1000; i++) {
          rows.add(new StoredSighting.New(i - from + 1, null, null, 1, null, new Box(0, 0, 100, 100), "{\"score\":0.9}", "[]",
              data.face(i % people, i / people), null, null));
        }
        scans.save(new ScanStore.NewMedia(String.format("%064x", from), "photo", "synthetic-" + from, 1, null, null, 1000, 1000, null),
            "synthetic", null, null, 1, null, rows);
      }
      ClusterService.Rebuilt local = clusters.rebuild("t");
      int[] here = labels(clusters.store(), n);
      SparkSession spark = SparkSessions.open("local[2]");
      ClusterService.Rebuilt distributed;
      try (ForkJoinPool pool = new ForkJoinPool(2)) {
        distributed = clusters.rebuild("t", new SparkNeighbourGraph(JavaSparkContext.fromSparkContext(spark.sparkContext()), 8, pool));
      } finally {
        spark.stop();
      }
      assertThat(local.graph()).doesNotContain("Spark");
      assertThat(distributed.graph()).contains("on Spark local[2]");
      assertThat(distributed.unknownSightings()).isEqualTo(n);
      assertThat(SparkNeighbourGraphTest.agreement(here, labels(clusters.store(), n))).isGreaterThanOrEqualTo(0.999);
    }
  }

  /** Each sighting's cluster, by sighting order (ids are 1..n in the order stored). */
  private static int[] labels(ClusterStore store, int n) {
    Map<Long, Integer> of = new HashMap<>();
    for (ClusterStore.Cluster c : store.clusters("synthetic")) {
      for (ClusterStore.Member m : store.members(c.id())) {
        of.put(m.sightingId(), (int) c.id());
      }
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = of.getOrDefault((long) i + 1, -1 - i);
    }
    return out;
  }
}
