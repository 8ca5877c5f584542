package org.likeness.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.scan.MediaWalk;
import org.likeness.video.scan.ScanService;

/**
 * The unknown-faces page end to end in headless Chromium (web-tests/clusters.mjs) on real scans:
 * the knn_examples photos and the Hamilton clip, scanned without a gallery and clustered.
 * Screenshots in target/web-screenshots/clusters.
 */
class ClustersPageTest {

  @Test
  void reviewClustersInTheBrowser(@TempDir Path home, @TempDir Path media) throws Exception {
    try (FaceEngine engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK),
            EngineOptions.defaults());
        GalleryStore store = GalleryStore.open(home); KeyStore keys = KeyStore.open(home); AuditLog audit = AuditLog.open(home)) {
      GalleryService galleries = new GalleryService(store, audit, engine);
      galleries.create("setup", "watch");
      ScanService scans = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
      Files.copy(ServerTest.photo("examples/short_hamilton_clip.mp4"), media.resolve("hamilton.mp4"));
      var found = MediaWalk.walk(java.util.List.of(ServerTest.photo("examples/knn_examples"), media));
      for (MediaWalk.Item it : found.media()) {
        scans.scan("setup", it.path(), it.path().toString(), it.kind(), null, new ScanService.Options(5, null, 5, false), null,
            (t, i) -> { });
      }
      new ClusterService(store, galleries, audit, engine.pack().id(), engine.embedder().dimension()).update("setup");
      String reviewer = keys.create("reviewer", Role.ENROLL, null).secret();
      try (LikenessServer server = new LikenessServer(engine, store, keys, audit, ServerConfig.defaults())) {
        int port = server.start("127.0.0.1", 0);
        Path out = Path.of("target", "web-screenshots", "clusters").toAbsolutePath();
        Path script = Path.of("..", "web-tests", "clusters.mjs").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + port, reviewer, out.toString())
            .directory(script.getParent().toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("clusters page OK");
      } finally {
        galleries.close();
      }
    }
  }
}
