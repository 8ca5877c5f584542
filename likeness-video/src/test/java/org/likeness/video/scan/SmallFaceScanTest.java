package org.likeness.video.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.gallery.store.TestStorage;
import org.likeness.video.decode.VideoLimits;

/**
 * A small face, with the real engine and the default pack: decided on the pack's small-face rule
 * (its template mapped, the small-face calibration's threshold), stored as such, and decided the
 * same way again by a rescan and after the gallery changes; the same photo at full size is
 * decided as any face.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class SmallFaceScanTest {
  private static FaceEngine engine;

  @BeforeAll
  static void open() {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static Path photo(String rel) {
    return Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve(rel);
  }

  @Test
  void aSmallFaceIsDecidedOnTheSmallFaceRuleAndStaysSo(@TempDir Path home, @TempDir Path dir) throws Exception {
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, engine)) {
      ScanService scans = watchlist(store, audit, galleries);
      MatchPolicy policy = galleries.policy(null, null, SearchMethod.EXACT, Aggregation.MAX);
      Path large = photo("examples/obama2.jpg");
      double width = engine.mostProminent(engine.decode(large)).orElseThrow().box().width();
      Path small = dir.resolve("obama2-small.png");
      ImageIO.write(scaled(ImageIO.read(large.toFile()), 26 / width), "png", small.toFile());

      StoredSighting big = only(scans, scans.scan("test", large, "large", MediaKind.PHOTO, "g", new ScanService.Options(5, policy, 5, false),
          null, (t, i) -> { }));
      StoredDecision asAny = StoredDecision.read(big.decisionJson());
      assertThat(asAny.smallFace()).as("a face %s px wide", big.faceWidth()).isNull();
      assertThat(asAny.subject()).isEqualTo("obama");

      StoredSighting little = only(scans, scans.scan("test", small, "small", MediaKind.PHOTO, "g", new ScanService.Options(5, policy, 5, false),
          null, (t, i) -> { }));
      StoredDecision asSmall = StoredDecision.read(little.decisionJson());
      assertThat(little.faceWidth()).isBetween(18.0, 34.0);
      assertThat(asSmall.smallFace()).isEqualTo(little.faceWidth());
      assertThat(asSmall.threshold(0)).as("the small-face calibration's threshold, stricter on its scale")
          .isGreaterThan(asAny.threshold(0));
      assertThat(asSmall.subject()).isEqualTo("obama");
      assertThat(little.decisionJson()).contains("\"smallFace\":");

      // a rescan decides it the same way
      var rescan = scans.rescan("test", little.scanId(), null, policy, 5);
      assertThat(rescan.changed()).isEmpty();
      assertThat(scans.store().sightings(little.scanId()).get(0).decisionJson()).isEqualTo(little.decisionJson());
      // and so does a change of the gallery that concerns it
      galleries.enroll("test", "g", "obama", Files.readAllBytes(photo("examples/obama-480p.jpg")));
      StoredDecision after = StoredDecision.read(scans.store().sightings(little.scanId()).get(0).decisionJson());
      assertThat(after.smallFace()).isEqualTo(asSmall.smallFace());
      assertThat(after.subject()).isEqualTo("obama");
      assertThat(after.bestScore()).isGreaterThanOrEqualTo(asSmall.bestScore());
    }
  }

  /**
   * A small face followed through footage is decided on the calibration of tracks (a mean of several
   * frames sits nearer everyone than one photo), says how many frames it was seen in, and is decided
   * again the same way by a rescan and by a change of the gallery.
   */
  @Test
  void aSmallTrackIsDecidedOnTheTracksCalibrationAndStaysSo(@TempDir Path home, @TempDir Path dir) throws Exception {
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, engine)) {
      ScanService scans = watchlist(store, audit, galleries);
      MatchPolicy policy = galleries.policy(null, null, SearchMethod.EXACT, Aggregation.MAX);
      // obama2's face walking across the frame at 26 to 28 px, four seconds
      var renderer = new org.likeness.video.synthetic.SceneRenderer(
          org.likeness.video.synthetic.TrackingBenchmark.heads(engine, List.of(photo("examples/obama2.jpg"))));
      var scene = new org.likeness.video.synthetic.Scene("small", 640, 360, 25, 4, List.of(new org.likeness.video.synthetic.Scene.Actor(
          "obama", 0, List.of(new org.likeness.video.synthetic.Scene.Key(0, 160, 180, 26), new org.likeness.video.synthetic.Scene.Key(4, 460, 190, 28)),
          List.of(new double[] {0, 4}))), List.of());
      Path video = dir.resolve("small.mp4");
      renderer.render(scene, video);
      ScanService.Outcome o = scans.scan("test", video, "small", MediaKind.VIDEO, "g", new ScanService.Options(5, policy, 5, false), null,
          (t, i) -> { });
      assertThat(o.scan()).as(String.valueOf(o.error())).isNotNull();
      StoredSighting track = scans.store().sightings(o.scan().id()).stream().max(java.util.Comparator.comparingInt(StoredSighting::samples))
          .orElseThrow();
      assertThat(track.samples()).isGreaterThan(8);
      assertThat(track.faceWidth()).isBetween(16.0, 36.0);
      StoredDecision d = StoredDecision.read(track.decisionJson());
      assertThat(d.smallFace()).isEqualTo(track.faceWidth());
      assertThat(d.size()).isEqualTo(track.faceSize());
      assertThat(track.decisionJson()).contains("\"smallFaceFrames\":" + track.samples());
      // decided at the tracks' threshold, stricter than a photo of the same width would be
      long templates = galleries.searchable("g").index().size();
      double asTrack = policy.forProbe(track.template(), track.faceSize()).policy().thresholdFor(templates);
      double asPhoto = policy.forProbe(track.template(), track.faceWidth()).policy().thresholdFor(templates);
      assertThat(asTrack).isGreaterThan(asPhoto);
      assertThat(d.threshold(0)).isEqualTo(asTrack);
      assertThat(d.subject()).isEqualTo("obama");

      // a rescan decides it the same way, and so does a change of the gallery that concerns it
      assertThat(scans.rescan("test", track.scanId(), null, policy, 5).changed()).isEmpty();
      StoredSighting again = scans.store().sightings(track.scanId()).stream().filter(x -> x.id() == track.id()).findFirst().orElseThrow();
      assertThat(again.decisionJson()).isEqualTo(track.decisionJson());
      galleries.enroll("test", "g", "obama", Files.readAllBytes(photo("examples/obama-480p.jpg")));
      StoredSighting after = scans.store().sightings(track.scanId()).stream().filter(x -> x.id() == track.id()).findFirst().orElseThrow();
      StoredDecision redecided = StoredDecision.read(after.decisionJson());
      assertThat(redecided.size()).isEqualTo(track.faceSize());
      assertThat(redecided.subject()).isEqualTo("obama");
    }
  }

  /** Gallery "g" of obama and biden, one photo each, and a scan service over it. */
  private static ScanService watchlist(GalleryStore store, AuditLog audit, GalleryService galleries) throws Exception {
    galleries.create("test", "g");
    galleries.enroll("test", "g", "obama", Files.readAllBytes(photo("examples/obama.jpg")));
    galleries.enroll("test", "g", "biden", Files.readAllBytes(photo("examples/biden.jpg")));
    return new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
  }

  private static StoredSighting only(ScanService scans, ScanService.Outcome o) {
    assertThat(o.scan()).as(String.valueOf(o.error())).isNotNull();
    List<StoredSighting> s = scans.store().sightings(o.scan().id());
    assertThat(s).hasSize(1);
    return s.get(0);
  }

  private static BufferedImage scaled(BufferedImage img, double f) {
    int w = Math.max(1, (int) Math.round(img.getWidth() * f)), h = Math.max(1, (int) Math.round(img.getHeight() * f));
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = out.createGraphics();
    g.drawImage(img.getScaledInstance(w, h, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
    g.dispose();
    return out;
  }
}
