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
import org.likeness.gallery.Gallery;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.TestStorage;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;

/**
 * The footage page end to end in headless Chromium (web-tests/timeline.mjs): upload the Hamilton
 * clip, wait for its job, click a track, and find the player at the track's start (within 0.5 s)
 * with its box drawn; verdicts survive a reload. Screenshots in target/web-screenshots/timeline.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class TimelinePageTest {

  @Test
  void clickingATrackPlaysItsMoment(@TempDir Path home) throws Exception {
    try (FaceEngine engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK),
            EngineOptions.defaults());
        GalleryStore store = TestStorage.open(home); KeyStore keys = KeyStore.open(TestStorage.database(home)); AuditLog audit = AuditLog.open(TestStorage.database(home))) {
      store.createGallery("watch", engine.pack().id(), engine.embedder().dimension());
      try (Gallery g = Gallery.open(store, "watch", new java.util.concurrent.ForkJoinPool(2))) {
        Enroller e = new Enroller(engine, store, g, new Enroller.Options(true, true, Enroller.MultiFace.REJECT));
        e.enrollOne(new EnrollItem("lin_manuel_miranda", ServerTest.photo("examples/lin-manuel-miranda.png")));
        e.enrollOne(new EnrollItem("alex_lacamoire", ServerTest.photo("examples/alex-lacamoire.png")));
        e.enrollOne(new EnrollItem("biden", ServerTest.photo("examples/biden.jpg")));
      }
      String reviewer = keys.create("reviewer", Role.ENROLL, null).secret();
      try (LikenessServer server = new LikenessServer(engine, store, keys, audit, ServerConfig.defaults())) {
        int port = server.start("127.0.0.1", 0);
        Path out = Path.of("target", "web-screenshots", "timeline").toAbsolutePath();
        Path script = Path.of("..", "web-tests", "timeline.mjs").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + port, reviewer,
            ServerTest.photo("examples/short_hamilton_clip.mp4").toAbsolutePath().toString(), out.toString())
            .directory(script.getParent().toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("timeline page OK");
        assertThat(Files.size(out.resolve("1-timeline.png"))).isPositive();
      }
    }
  }
}
