package org.likeness.video.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;

/**
 * The tracker on rendered scenes with exact truth (real fixture faces moved by a script): no
 * identity switch anywhere, no false sighting, a pan, a zoom and a cut followed without loss, a face
 * that leaves and comes back is two appearances, and two people crossing lose at most the samples
 * where one hides the other.
 */
class TrackingBenchmarkTest {
  static Path photo(String rel) {
    return Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve(rel);
  }

  /** The same scripted pan in MP4, MOV, Matroska and AVI containers: each decodes into one track with every sample. */
  @Test
  void containers(@TempDir Path dir) throws Exception {
    try (FaceEngine engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK),
        EngineOptions.defaults())) {
      SceneRenderer renderer = new SceneRenderer(TrackingBenchmark.heads(engine, List.of(photo("examples/obama.jpg"))));
      Scene pan = Scene.standard().get(0);
      for (String ext : List.of("mp4", "mov", "mkv", "avi")) {
        Path video = dir.resolve("pan." + ext);
        renderer.render(pan, video);
        List<Double> times = new java.util.ArrayList<>();
        var scan = new org.likeness.video.VideoScanner(engine, org.likeness.video.decode.VideoLimits.DEFAULT,
            org.likeness.video.track.Tracker.Options.DEFAULT).scan(video, 5, (t, info) -> times.add(t));
        TrackingMetrics m = TrackingMetrics.of(pan, renderer, scan.tracks(), times);
        assertThat(m.tracks()).as(ext).isEqualTo(1);
        assertThat(m.missedSamples()).as(ext).isZero();
        assertThat(scan.info().width()).as(ext).isEqualTo(640);
      }
    }
  }

  @Test
  void scriptedScenes(@TempDir Path dir) throws Exception {
    try (FaceEngine engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK),
        EngineOptions.defaults())) {
      List<TrackingMetrics> metrics = TrackingBenchmark.run(engine, TrackingBenchmark.heads(engine, TrackingBenchmark.HEAD_PHOTOS.stream().map(TrackingBenchmarkTest::photo).toList()),
          dir, 5);
      assertThat(metrics).extracting(TrackingMetrics::scene).containsExactly("pan", "zoom", "crossing", "cut", "leave-and-return");
      for (TrackingMetrics m : metrics) {
        assertThat(m.identitySwitches()).as(m.toString()).isZero();
        assertThat(m.falseSightings()).as(m.toString()).isZero();
        assertThat(m.truthSamples()).as(m.toString()).isGreaterThan(20);
        switch (m.scene()) {
          case "crossing" -> {
            assertThat(m.missedSamples()).as(m.toString()).isLessThanOrEqualTo(m.truthSamples() / 10);
            assertThat(m.fragments()).as(m.toString()).isLessThanOrEqualTo(1);
          }
          case "cut", "leave-and-return" -> {
            assertThat(m.tracks()).as(m.toString()).isEqualTo(2); // two shots, two appearances: two tracks
            assertThat(m.missedSamples()).as(m.toString()).isZero();
          }
          default -> {
            assertThat(m.tracks()).as(m.toString()).isEqualTo(1);
            assertThat(m.missedSamples()).as(m.toString()).isZero();
            assertThat(m.fragments()).as(m.toString()).isZero();
          }
        }
      }
    }
  }
}
