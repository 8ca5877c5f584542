package org.likeness.video.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.gallery.store.TemplateCipher;
import org.likeness.gallery.store.TestStorage;
import org.likeness.video.decode.VideoLimits;

/** Stored scans with the real engine: damage keeps what came before it, nothing half-stored, sealed templates read back. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ScanServiceTest {
  private static FaceEngine engine;

  @BeforeAll
  static void open() {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static Path resource(String name) {
    return Path.of("src", "test", "resources", name);
  }

  @Test
  void aTruncatedVideoKeepsItsTracksWithTheErrorAndIsScannedAgainNextTime(@TempDir Path home) throws Exception {
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, engine)) {
      ScanService scans = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
      Path cut = resource("hamilton-cut.mp4");
      assertThat(MediaKind.of(cut)).isEqualTo(MediaKind.VIDEO);
      ScanService.Outcome o = scans.scan("test", cut, cut.toString(), MediaKind.VIDEO, null,
          new ScanService.Options(5, null, 5, false), null, (t, info) -> { });
      assertThat(o.status()).isEqualTo(ScanService.Status.FAILED);
      assertThat(o.error()).contains("hamilton-cut.mp4", "damaged", "truncated");
      StoredScan s = o.scan();
      assertThat(s.error()).isEqualTo(o.error());
      assertThat(s.sightings()).as("Miranda's face before the cut is kept").isPositive();
      List<StoredSighting> sightings = scans.store().sightings(s.id());
      assertThat(sightings).allMatch(g -> g.end() < 2.1 && g.cropPng() != null && g.template().length == engine.embedder().dimension());
      assertThat(s.media().durationSeconds()).isBetween(3.9, 4.1);
      assertThat(o.sha256()).isEqualTo(ContentHash.sha256(cut));
    }
  }

  @Test
  void aVerdictAndADeletionHappenOnlyWithTheirAuditRecords(@TempDir Path home) throws Exception {
    var db = TestStorage.database(home);
    Path photo = Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve("examples/obama2.jpg");
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(db);
        GalleryService galleries = new GalleryService(store, audit, engine)) {
      galleries.create("test", "g");
      galleries.enroll("test", "g", "obama", java.nio.file.Files.readAllBytes(photo.resolveSibling("obama.jpg")));
      ScanService scans = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
      var policy = galleries.policy(null, null, org.likeness.gallery.search.SearchMethod.EXACT, org.likeness.gallery.match.Aggregation.MAX);
      StoredScan s = scans.scan("test", photo, "photo", MediaKind.PHOTO, "g", new ScanService.Options(5, policy, 5, false), null,
          (t, i) -> { }).scan();
      StoredSighting face = scans.store().sightings(s.id()).get(0);
      assertThat(face.decisionJson()).contains("obama");
      String before = org.likeness.gallery.store.DatabaseState.rows(db);
      try (AutoCloseable refusal = org.likeness.gallery.store.DatabaseState.refuseAudit(db)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scans.edits().verdict("test", s.id(), face.number(), "rejected"))
            .isInstanceOf(RuntimeException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scans.edits().delete("test", s.id())).isInstanceOf(RuntimeException.class);
      }
      assertThat(org.likeness.gallery.store.DatabaseState.rows(db)).as("no verdict and no deletion without its record").isEqualTo(before);
      assertThat(scans.edits().verdict("test", s.id(), face.number(), "rejected").rejected()).isTrue();
      scans.edits().delete("test", s.id());
      List<String> operations = new java.util.ArrayList<>();
      audit.forEach(r -> operations.add(r.operation()));
      assertThat(operations).endsWith("scan.verdict", "scan.delete");
      assertThat(audit.verify().intact()).isTrue();
    }
  }

  /**
   * A scan stored after a subject it names was deleted (identified before the deletion, so the
   * deletion's own re-decisions did not see it): its sightings naming the vanished subject are
   * decided again. The race is played by deleting the subject in the store, behind the service.
   */
  @Test
  void aScanNamingASubjectDeletedMeanwhileIsDecidedAgain(@TempDir Path home) throws Exception {
    Path photo = Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve("examples/obama2.jpg");
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, engine)) {
      galleries.create("test", "g");
      galleries.enroll("test", "g", "obama", java.nio.file.Files.readAllBytes(photo.resolveSibling("obama.jpg")));
      galleries.enroll("test", "g", "biden", java.nio.file.Files.readAllBytes(photo.resolveSibling("biden.jpg")));
      ScanService scans = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
      var policy = galleries.policy(null, null, org.likeness.gallery.search.SearchMethod.EXACT, org.likeness.gallery.match.Aggregation.MAX);
      StoredScan s = scans.scan("test", photo, "photo", MediaKind.PHOTO, "g", new ScanService.Options(5, policy, 5, false), null,
          (t, i) -> { }).scan();
      assertThat(scans.store().sightings(s.id()).get(0).decisionJson()).contains("obama");
      assertThat(scans.forgetVanished("test", "scan", "g", s.id())).as("every subject it names is there").isZero();
      long g = store.requireGallery("g").id();
      store.deleteSubject(g, "obama"); // as if deleted between the identification and the save
      assertThat(scans.forgetVanished("test", "scan", "g", s.id())).isEqualTo(1);
      String now = scans.store().sightings(s.id()).get(0).decisionJson();
      assertThat(org.likeness.gallery.service.StoredDecision.read(now).names()).doesNotContain("obama");
      assertThat(scans.forgetVanished("test", "scan", "g", s.id())).isZero();
    }
  }

  @Test
  void unreadableMediaIsAFailureThatStoresNothing(@TempDir Path home, @TempDir Path dir) throws Exception {
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, engine)) {
      ScanService scans = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
      byte[] junk = new byte[4096];
      new Random(7).nextBytes(junk);
      byte[] header = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
      System.arraycopy(header, 0, junk, 0, header.length);
      Path fake = Files.write(dir.resolve("fake.mp4"), junk);
      ScanService.Outcome o = scans.scan("test", fake, fake.toString(), MediaKind.of(fake), null,
          new ScanService.Options(5, null, 5, false), null, (t, info) -> { });
      assertThat(o.status()).isEqualTo(ScanService.Status.FAILED);
      assertThat(o.scan()).isNull();
      assertThat(o.error()).contains("fake.mp4");
      assertThat(scans.store().scans()).isEmpty();
      Path photo = Files.write(dir.resolve("cut.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2});
      ScanService.Outcome p = scans.scan("test", photo, photo.toString(), MediaKind.of(photo), null,
          new ScanService.Options(5, null, 5, false), null, (t, info) -> { });
      assertThat(p.status()).isEqualTo(ScanService.Status.FAILED);
      assertThat(scans.store().scans()).isEmpty();
    }
  }

  @Test
  void sealedSightingsReadBackOnlyWithTheKey(@TempDir Path home) throws Exception {
    byte[] key = new byte[32];
    new Random(3).nextBytes(key);
    Path clip = resource("hamilton-sideways.mp4");
    long id;
    float[] template;
    try (GalleryStore store = TestStorage.open(home, new TemplateCipher(key)); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, engine)) {
      ScanService scans = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
      ScanService.Outcome o = scans.scan("test", clip, clip.toString(), MediaKind.VIDEO, null,
          new ScanService.Options(5, null, 5, false), null, (t, info) -> { });
      assertThat(o.status()).isEqualTo(ScanService.Status.SCANNED);
      id = o.scan().id();
      template = scans.store().sightings(id).get(0).template();
      // The same content again is not decoded: the stored scan is returned.
      ScanService.Outcome again = scans.scan("test", clip, "renamed.mp4", MediaKind.VIDEO, null,
          new ScanService.Options(5, null, 5, false), null, (t, info) -> { throw new AssertionError("decoded again"); });
      assertThat(again.status()).isEqualTo(ScanService.Status.SKIPPED);
      assertThat(again.scan().id()).isEqualTo(id);
    }
    try (GalleryStore store = TestStorage.open(home, new TemplateCipher(key))) {
      assertThat(store.repositories().scans().sightings(id).get(0).template()).containsExactly(template);
    }
    try (GalleryStore store = TestStorage.open(home)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.repositories().scans().sightings(id))
          .hasMessageContaining("encrypted");
    }
  }

  @Test
  void kindsAreToldByContent() {
    assertThat(MediaKind.of(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})).isEqualTo(MediaKind.PHOTO);
    assertThat(MediaKind.of(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 0, 0, 0, 0, 0, 0, 0, 0})).isEqualTo(MediaKind.VIDEO);
    assertThat(MediaKind.of("RIFF\0\0\0\0AVI LIST".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isEqualTo(MediaKind.VIDEO);
    assertThat(MediaKind.of("RIFF\0\0\0\0WEBPVP8 ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isEqualTo(MediaKind.PHOTO);
    assertThat(MediaKind.of("\0\0\0\030ftypheic\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
        .as("a HEIF still is not a video").isEqualTo(MediaKind.OTHER);
    assertThat(MediaKind.of("\0\0\0\030ftypqt  \0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isEqualTo(MediaKind.VIDEO);
    assertThat(MediaKind.of("hello".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isEqualTo(MediaKind.OTHER);
    assertThat(MediaKind.of(new byte[0])).isEqualTo(MediaKind.OTHER);
    Random r = new Random(11);
    for (int i = 0; i < 2000; i++) { // random heads never throw
      byte[] head = new byte[r.nextInt(20)];
      r.nextBytes(head);
      MediaKind.of(head);
    }
  }
}
