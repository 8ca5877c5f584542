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
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.store.TestStorage;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;

/**
 * The review page end to end in a real browser: headless Debian Chromium driven by playwright-core
 * (web-tests/review.mjs, installed by scripts/test.sh). Screenshots are kept in
 * target/web-screenshots as test artefacts.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ReviewPageTest {

  @Test
  void uploadShowsBoxesCandidatesAndUnknown(@TempDir Path home) throws Exception {
    Path dataset = Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition"));
    try (FaceEngine engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK),
            EngineOptions.defaults());
        GalleryStore store = TestStorage.open(home); KeyStore keys = KeyStore.open(TestStorage.database(home)); AuditLog audit = AuditLog.open(TestStorage.database(home))) {
      store.createGallery("watch", engine.pack().id(), engine.embedder().dimension());
      Gallery g = Gallery.open(store, "watch", new java.util.concurrent.ForkJoinPool(2));
      new Enroller(engine, store, g, new Enroller.Options(true, true, Enroller.MultiFace.REJECT))
          .enrollOne(new EnrollItem("obama", dataset.resolve("examples/obama.jpg")));
      // A scraped subject: two photos of Kit Harington and one of Obama filed under his name; enrolment
      // hygiene flags Obama's (kept out of decisions: Obama is still named obama below).
      try (org.likeness.gallery.service.GalleryService galleries = new org.likeness.gallery.service.GalleryService(store, audit, engine)) {
        galleries.enroll("test", "watch", java.util.List.of(
            new EnrollItem("kit_harington", dataset.resolve("examples/knn_examples/train/kit_harington/john1.jpeg")),
            new EnrollItem("kit_harington", dataset.resolve("examples/knn_examples/train/kit_harington/john2.jpeg")),
            new EnrollItem("kit_harington", dataset.resolve("examples/obama2.jpg"))), Enroller.Options.DEFAULT, 1, o -> { });
        assertThat(galleries.suspectFaces().list("watch")).hasSize(1);
      }
      String admin = keys.create("reviewer", Role.ADMIN, null).secret();
      try (LikenessServer server = new LikenessServer(engine, store, keys, audit, ServerConfig.defaults())) {
        int port = server.start("127.0.0.1", 0);
        Path out = Path.of("target", "web-screenshots").toAbsolutePath();
        Path script = Path.of("..", "web-tests", "review.mjs").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + port, admin,
            dataset.resolve("examples/two_people.jpg").toAbsolutePath().toString(), out.toString())
            .directory(script.getParent().toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("review page OK");
        assertThat(Files.size(out.resolve("1-identify.png"))).isPositive();
      }
    }
  }
}
