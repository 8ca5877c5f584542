package org.likeness.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.verify.Verifier;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.scan.MediaWalk;
import org.likeness.video.scan.ScanService;

/**
 * The data the Spark tests share: a gallery of the fixture people, a folder of media (photos, the
 * Hamilton clip, and bad files), and the reference: the same folder scanned by {@code scan}.
 */
final class Fixture {
  static final double FPS = 5;
  static final int TOP = 5;
  static final String GALLERY = "watch";

  private Fixture() {}

  static Path dataset() {
    return Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve("examples");
  }

  /** A home with the gallery enrolled from one photo per fixture person. */
  static void enrol(Path home, FaceEngine engine) throws Exception {
    try (GalleryStore store = GalleryStore.open(home); AuditLog audit = AuditLog.open(home);
        GalleryService galleries = new GalleryService(store, audit, engine)) {
      galleries.create("test", GALLERY);
      List<EnrollItem> items = new ArrayList<>();
      for (String[] p : new String[][] {{"Barack Obama", "obama.jpg"}, {"Joe Biden", "biden.jpg"},
          {"Lin-Manuel Miranda", "lin-manuel-miranda.png"}, {"Alex Lacamoire", "alex-lacamoire.png"}}) {
        items.add(new EnrollItem(p[0], dataset().resolve(p[1])));
      }
      galleries.enroll("test", GALLERY, items, Enroller.Options.DEFAULT, 1, o -> { });
    }
  }

  /** A folder of media: photos, the clip, a text file (skipped), a half video and random bytes dressed as MP4 (failed). */
  static Path media(Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    for (String name : new String[] {"obama2.jpg", "two_people.jpg", "biden.jpg", "short_hamilton_clip.mp4"}) {
      Files.copy(dataset().resolve(name), in.resolve(name));
    }
    Files.copy(dataset().resolve("obama2.jpg"), in.resolve("same-as-obama2.jpg")); // the same content twice: scanned once
    Files.writeString(in.resolve("notes.txt"), "not media");
    byte[] clip = Files.readAllBytes(dataset().resolve("short_hamilton_clip.mp4"));
    Files.write(in.resolve("half.mp4"), java.util.Arrays.copyOf(clip, clip.length / 2));
    byte[] junk = new byte[4096];
    new Random(7).nextBytes(junk);
    byte[] header = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    System.arraycopy(header, 0, junk, 0, header.length);
    Files.write(in.resolve("fake.mp4"), junk);
    return in;
  }

  /** The media folder and what {@code scan} made of it, media sha256 to sightings. */
  record Reference(Path in, Map<String, List<StoredSighting>> scans) {}

  /** {@link #media} under {@code dir}, scanned by {@code scan} in a home of its own with the gallery enrolled. */
  static Reference reference(Path dir, FaceEngine engine) throws Exception {
    Path in = media(dir);
    Path home = dir.resolve("scan-home");
    enrol(home, engine);
    scanLocally(home, engine, in);
    return new Reference(in, scans(home));
  }

  /** Scans every media file under {@code in} with {@code scan} (ScanService) into {@code home}. */
  static void scanLocally(Path home, FaceEngine engine, Path in) throws Exception {
    try (GalleryStore store = GalleryStore.open(home); AuditLog audit = AuditLog.open(home);
        GalleryService galleries = new GalleryService(store, audit, engine)) {
      ScanService scans = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
      var policy = galleries.policy(null, null, SearchMethod.AUTO, Aggregation.MAX);
      for (MediaWalk.Item item : MediaWalk.walk(List.of(in)).media()) {
        scans.scan("test", item.path(), item.path().toString(), item.kind(), GALLERY, new ScanService.Options(FPS, policy, TOP, false),
            null, (t, i) -> { });
      }
    }
  }

  /** The scans in {@code home} by media sha256, each with its sightings. */
  static Map<String, List<StoredSighting>> scans(Path home) {
    try (GalleryStore store = GalleryStore.open(home)) {
      ScanStore scans = store.repositories().scans();
      Map<String, List<StoredSighting>> out = new TreeMap<>();
      for (StoredScan s : scans.scans()) {
        assertThat(out.put(s.media().sha256(), scans.sightings(s.id()))).as("one scan per media").isNull();
      }
      return out;
    }
  }

  /** Asserts the same media, faces, tracks and decisions, templates within {@code tolerance} (or, when stitched, cosine above it). */
  static void assertSame(Map<String, List<StoredSighting>> expected, Map<String, List<StoredSighting>> actual, boolean stitched) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String sha : expected.keySet()) {
      List<StoredSighting> e = expected.get(sha), a = actual.get(sha);
      assertThat(a.size()).as("sightings of %s", sha).isEqualTo(e.size());
      for (int i = 0; i < e.size(); i++) {
        StoredSighting x = e.get(i), y = a.get(i);
        String what = sha.substring(0, 8) + " #" + x.number();
        assertThat(y.number()).isEqualTo(x.number());
        assertThat(y.start()).as(what).isEqualTo(x.start());
        assertThat(y.end()).as(what).isEqualTo(x.end());
        assertThat(y.samples()).as(what).isEqualTo(x.samples());
        assertThat(y.link()).as(what).isEqualTo(x.link());
        assertThat(subject(y)).as(what).isEqualTo(subject(x));
        assertThat(y.cropPng()).as(what + ": a best-frame crop for the pages").isNotNull();
        assertThat(y.boxesJson() == null).as(what + ": boxes kept as scan keeps them").isEqualTo(x.boxesJson() == null);
        assertSameDecision(what, x.decisionJson(), y.decisionJson(), stitched ? 1e-3 : 1e-4);
        if (stitched) {
          assertThat(Verifier.cosine(x.template(), y.template())).as(what).isGreaterThan(0.9999);
        } else {
          assertThat(y.box()).as(what).isEqualTo(x.box());
          assertThat(y.bestTime()).as(what).isEqualTo(x.bestTime());
          assertThat(y.qualityJson()).as(what).isEqualTo(x.qualityJson());
          assertThat(y.boxesJson()).as(what).isEqualTo(x.boxesJson());
          assertThat(y.cropPng()).as(what).isEqualTo(x.cropPng());
          for (int k = 0; k < x.template().length; k++) {
            assertThat(y.template()[k]).as(what).isCloseTo(x.template()[k], org.assertj.core.data.Offset.offset(1e-5f));
          }
        }
      }
    }
  }

  /** Two stored decisions alike: the same rule, subject and candidates in order, scores within {@code tolerance}. */
  static void assertSameDecision(String what, String expected, String actual, double tolerance) {
    assertThat(actual == null).as(what + ": decided").isEqualTo(expected == null);
    if (expected == null) {
      return;
    }
    var x = org.likeness.gallery.service.StoredDecision.read(expected).node();
    var y = org.likeness.gallery.service.StoredDecision.read(actual).node();
    for (String rule : List.of("threshold", "fpirTarget", "floor", "top", "aggregation", "v")) {
      assertThat(y.path(rule)).as(what + ": " + rule).isEqualTo(x.path(rule));
    }
    assertThat(y.path("decision").path("subject")).as(what).isEqualTo(x.path("decision").path("subject"));
    assertThat(y.path("candidates").size()).as(what + ": candidates").isEqualTo(x.path("candidates").size());
    for (int c = 0; c < x.path("candidates").size(); c++) {
      var cx = x.path("candidates").get(c);
      var cy = y.path("candidates").get(c);
      assertThat(cy.path("subject")).as(what + ": candidate " + c).isEqualTo(cx.path("subject"));
      assertThat(cy.path("score").asDouble()).as(what + ": candidate " + c + " score")
          .isCloseTo(cx.path("score").asDouble(), org.assertj.core.data.Offset.offset(tolerance));
    }
  }

  /**
   * The job of a test of a file system: the media under {@code in} (the reference's files, copied
   * there) scanned in 3 s segments (so several tasks read the clip) against the gallery of a home
   * enrolled here, written to {@code out}, then imported twice from there; checks the counts, that
   * the second import stores nothing, and that the scans are what {@code scan} made of local copies.
   */
  static ScanJob.Summary runAndImport(SparkSession spark, FaceEngine engine, Path home, String in, String out, Reference reference)
      throws Exception {
    enrol(home, engine);
    GallerySnapshot gallery;
    try (GalleryStore store = GalleryStore.open(home)) {
      gallery = GallerySnapshot.read(store, GALLERY, null, null, SearchMethod.AUTO, TOP);
    }
    ScanJob.Settings job = new ScanJob.Settings(List.of(in), out, EngineSpec.of(engine.pack().dir(), false, 40, null), gallery, FPS, 3, 2,
        VideoLimits.DEFAULT);
    ScanJob.Summary s = new ScanJob(spark).run(job, engine.pack().id());
    assertThat(s.media()).isEqualTo(6);
    assertThat(s.failed()).isEqualTo(2);
    try (GalleryStore store = GalleryStore.open(home); AuditLog audit = AuditLog.open(home)) {
      assertThat(new ScanImport(store, audit).run(spark, out, GALLERY, "test").stored()).isEqualTo(4);
      assertThat(new ScanImport(store, audit).run(spark, out, GALLERY, "test").stored()).as("importing twice stores once").isZero();
    }
    assertSame(reference.scans(), scans(home), true);
    return s;
  }

  static String subject(StoredSighting s) {
    return s.decisionJson() == null ? "not identified" : String.valueOf(StoredDecision.read(s.decisionJson()).subject());
  }
}
