package org.likeness.video.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.verify.Verifier;
import org.likeness.video.VideoScanner;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.decode.VideoSource;

/** The real clip scanned in time segments and stitched gives the tracks of one pass over it. */
class StitcherTest {
  private static FaceEngine engine;

  @BeforeAll
  static void open() {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static Path clip() {
    return Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve("examples/short_hamilton_clip.mp4");
  }

  @Test
  void segmentsStitchedAreOnePass() throws Exception {
    double fps = 5;
    Tracker.Options options = Tracker.Options.forPack(engine.pack());
    VideoScanner scanner = new VideoScanner(engine, VideoLimits.DEFAULT, options);
    VideoScanner.Scan whole = scanner.scan(clip(), fps, (t, i) -> { });
    VideoSource.Probe probe = new VideoSource(clip(), VideoLimits.DEFAULT).probe();
    List<VideoSource.Window> windows = VideoSource.segments(probe.firstFrame(), probe.firstFrame() + probe.info().durationSeconds(), fps, 3);
    assertThat(windows).hasSizeGreaterThanOrEqualTo(3); // borders fall inside tracks: stitching has work to do
    List<Stitcher.Piece> pieces = new ArrayList<>();
    int sampled = 0;
    for (VideoSource.Window w : windows) {
      VideoScanner.Segment s = scanner.segment(clip(), fps, w.start(), w.end(), w.origin(), (t, i) -> { });
      pieces.add(s.piece());
      sampled += s.sampledFrames();
    }
    assertThat(sampled).isEqualTo(whole.sampledFrames());
    List<Track> stitched = new Stitcher(options).stitch(pieces);
    assertThat(stitched).hasSameSizeAs(whole.tracks());
    assertThat(pieces.stream().mapToInt(p -> p.tracks().size()).sum()).as("tracks cut by a border").isGreaterThan(stitched.size());
    for (int i = 0; i < stitched.size(); i++) {
      Track a = whole.tracks().get(i), b = stitched.get(i);
      assertThat(b.start()).as("track %d", i + 1).isEqualTo(a.start());
      assertThat(b.end()).as("track %d", i + 1).isEqualTo(a.end());
      assertThat(b.sightings()).as("track %d", i + 1).hasSameSizeAs(a.sightings());
      assertThat(Verifier.cosine(a.template(), b.template())).as("track %d", i + 1).isGreaterThan(0.9999);
      assertThat(b.best().time()).isEqualTo(a.best().time());
    }
  }
}
