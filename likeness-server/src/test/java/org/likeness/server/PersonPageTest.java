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
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.TestStorage;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.scan.MediaKind;
import org.likeness.video.scan.ScanService;

/**
 * The person page end to end in headless Chromium (web-tests/person.mjs): Miranda enrolled with
 * his crop kept, the Hamilton clip and his photo scanned; his appearances grouped by media, a track
 * played from its start with its box, the photo shown with its box, a verdict that survives a
 * reload, filters; an unknown-faces cluster on the same page. Screenshots in target/web-screenshots/person.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class PersonPageTest {

  @Test
  void aPersonsAppearancesOpenTheirMomentAndKeepTheirVerdicts(@TempDir Path home) throws Exception {
    try (FaceEngine engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK),
            EngineOptions.defaults());
        GalleryStore store = TestStorage.open(home); KeyStore keys = KeyStore.open(TestStorage.database(home)); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, engine)) {
      galleries.create("setup", "watch");
      galleries.enroll("setup", "watch", java.util.List.of(new EnrollItem("lin_manuel_miranda",
          ServerTest.photo("examples/lin-manuel-miranda.png"))), new Enroller.Options(true, true, Enroller.MultiFace.REJECT), 1, o -> { });
      ScanService scans = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
      ScanService.Options options = new ScanService.Options(5, galleries.policy(null, SearchMethod.EXACT, Aggregation.MAX), 5, false);
      Path clip = ServerTest.photo("examples/short_hamilton_clip.mp4").toAbsolutePath();
      Path photo = ServerTest.photo("examples/lin-manuel-miranda.png").toAbsolutePath();
      scans.scan("setup", clip, clip.toString(), MediaKind.VIDEO, "watch", options, null, (t, i) -> { });
      scans.scan("setup", photo, photo.toString(), MediaKind.PHOTO, "watch", options, null, (t, i) -> { });
      String reviewer = keys.create("reviewer", Role.ENROLL, "watch").secret();
      String everyGallery = keys.create("unknown-faces", Role.READ, null).secret();
      try (ClusterService clusters = new ClusterService(store, galleries, audit, engine.pack().id(), engine.embedder().dimension(),
          ClusterThresholds.forPack(engine.pack()))) {
        clusters.update("setup");
      }
      long cluster = store.repositories().clusters().clusters(engine.pack().id()).get(0).id();
      try (LikenessServer server = new LikenessServer(engine, store, keys, audit, ServerConfig.defaults())) {
        int port = server.start("127.0.0.1", 0);
        Path out = Path.of("target", "web-screenshots", "person").toAbsolutePath();
        Path script = Path.of("..", "web-tests", "person.mjs").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + port, reviewer, "watch", "lin_manuel_miranda",
            out.toString(), everyGallery, Long.toString(cluster)).directory(script.getParent().toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("person page OK");
        assertThat(Files.size(out.resolve("2-photo.png"))).isPositive();
        assertThat(Files.size(out.resolve("4-unknown.png"))).as("the unknown person's page").isPositive();
      }
    }
  }
}
