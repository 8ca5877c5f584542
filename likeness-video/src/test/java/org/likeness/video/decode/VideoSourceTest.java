package org.likeness.video.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.image.RgbImage;

/** FFmpeg decoding of the real clip: sampling by presentation time, limits, and clear errors for what is not a video. */
class VideoSourceTest {
  static Path clip() {
    return Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve("examples/short_hamilton_clip.mp4");
  }

  @Test
  void samplesByPresentationTime() throws Exception {
    List<SampledFrame> five = new ArrayList<>(), all = new ArrayList<>();
    VideoInfo info = new VideoSource(clip(), VideoLimits.DEFAULT).scan(5, i -> { }, five::add);
    new VideoSource(clip(), VideoLimits.DEFAULT).scan(0, i -> { }, all::add);
    assertThat(info.width()).isEqualTo(640);
    assertThat(info.height()).isEqualTo(360);
    assertThat(info.fps()).isBetween(29.9, 30.0);
    assertThat(all.size()).isBetween(270, 310); // every frame of about 9-10 s at 29.97 fps
    // The stream's frames span from the first presentation time to the last (the container's
    // duration also counts the audio); five a second over that span.
    double span = all.getLast().time() - all.getFirst().time();
    assertThat(span).isBetween(8.5, info.durationSeconds());
    assertThat(five.size()).isBetween((int) (span * 5) - 1, (int) (span * 5) + 2);
    assertThat(five.getFirst().time()).isEqualTo(all.getFirst().time());
    for (int i = 1; i < five.size(); i++) {
      double gap = five.get(i).time() - five.get(i - 1).time();
      assertThat(gap).as("sample %d", i).isBetween(0.19, 0.24); // 1/5 s apart, to within one frame
    }
    assertThat(five.get(0).image().width()).isEqualTo(640);
  }

  /**
   * Segments whose borders lie on the sampling grid, read one after the other with keyframe
   * seeking, sample exactly the frames of one whole pass, with the same pixels: how a long video
   * is split across workers.
   */
  @Test
  void windowsOnTheGridSampleWhatAWholePassSamples() throws Exception {
    for (double fps : new double[] {2, 5, 0}) {
      List<SampledFrame> whole = new ArrayList<>();
      new VideoSource(clip(), VideoLimits.DEFAULT).scan(fps, i -> { }, whole::add);
      double origin = whole.getFirst().time();
      double step = fps > 0 ? 1 / fps : 1 / 29.97;
      double[] borders = {origin, origin + Math.round(2.6 / step) * step, origin + Math.round(5.3 / step) * step, Double.POSITIVE_INFINITY};
      List<SampledFrame> pieces = new ArrayList<>();
      for (int i = 0; i + 1 < borders.length; i++) {
        new VideoSource(clip(), VideoLimits.DEFAULT).scan(fps, new VideoSource.Window(i == 0 ? 0 : borders[i], borders[i + 1],
            origin), v -> { }, pieces::add);
      }
      assertThat(pieces.stream().map(SampledFrame::time).toList()).as("fps %s", fps)
          .isEqualTo(whole.stream().map(SampledFrame::time).toList());
      for (int i = 0; i < whole.size(); i += 7) {
        assertThat(pieces.get(i).image().pixels()).as("frame at %s", whole.get(i).time()).isEqualTo(whole.get(i).image().pixels());
      }
    }
  }

  @Test
  void refusesWhatIsNotAVideoAndWhatIsPastTheLimits(@TempDir Path tmp) throws Exception {
    Path junk = tmp.resolve("junk.mkv");
    Files.write(junk, "not a video at all".getBytes());
    assertThatThrownBy(() -> new VideoSource(junk, VideoLimits.DEFAULT).scan(5, i -> { }, f -> { }))
        .isInstanceOf(VideoDecodeException.class).hasMessageContaining("junk.mkv").hasMessageContaining("not a readable video");
    byte[] whole = Files.readAllBytes(clip());
    Path cut = tmp.resolve("cut.mp4"); // its index (moov) is at the end: half a file has none
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> new VideoSource(cut, VideoLimits.DEFAULT).scan(5, i -> { }, f -> { }))
        .isInstanceOf(VideoDecodeException.class).hasMessageContaining("cut.mp4");
    assertThatThrownBy(() -> new VideoSource(clip(), new VideoLimits(5, VideoLimits.DEFAULT.maxPixels())).scan(5, i -> { }, f -> { }))
        .isInstanceOf(VideoDecodeException.class).hasMessageContaining("exceeds the limit");
    assertThatThrownBy(() -> new VideoSource(clip(), new VideoLimits(3600, 640L * 359)).scan(5, i -> { }, f -> { }))
        .isInstanceOf(VideoDecodeException.class).hasMessageContaining("exceed the limit");
  }

  /** A phone-style file: frames stored sideways with a display matrix saying how to turn them. */
  @Test
  void aStreamThatDeclaresNoDurationIsBoundedByItsFrames() throws Exception {
    Path live = Path.of("src", "test", "resources", "codecs", "vp9-live.webm");
    List<SampledFrame> frames = new ArrayList<>();
    VideoInfo info = new VideoSource(live, VideoLimits.DEFAULT).scan(0, i -> assertThat(i.durationSeconds()).isZero(), frames::add);
    assertThat(frames).hasSizeBetween(44, 46);
    assertThat(info.durationSeconds()).as("told by the frames read").isBetween(1.4, 1.6);
    // The limit holds without a declared duration: the frames past it are refused as they come.
    List<SampledFrame> bounded = new ArrayList<>();
    assertThatThrownBy(() -> new VideoSource(live, new VideoLimits(1, VideoLimits.DEFAULT.maxPixels())).scan(0, i -> { }, bounded::add))
        .isInstanceOf(VideoDecodeException.class).hasMessageContaining("past the limit of 1 s").hasMessageContaining("no duration");
    assertThat(bounded).hasSizeBetween(29, 32);
  }

  @Test
  void honoursRotationMetadata() throws Exception {
    Path sideways = Path.of(VideoSourceTest.class.getResource("/hamilton-sideways.mp4").toURI());
    List<SampledFrame> frames = new ArrayList<>();
    VideoInfo info = new VideoSource(sideways, VideoLimits.DEFAULT).scan(5, i -> { }, frames::add);
    assertThat(info.width()).isEqualTo(640);
    assertThat(info.height()).isEqualTo(360);
    assertThat(frames).isNotEmpty().allSatisfy(f -> {
      assertThat(f.image().width()).isEqualTo(640);
      assertThat(f.image().height()).isEqualTo(360);
    });
  }

  @Test
  void turnsFramesUpright() {
    byte[] px = new byte[2 * 3 * 3]; // 2 wide, 3 high; mark the top-left pixel
    px[0] = 9;
    RgbImage img = new RgbImage(2, 3, px);
    RgbImage ccw = VideoSource.upright(img, 90), cw = VideoSource.upright(img, 270), flip = VideoSource.upright(img, 180);
    assertThat(ccw.width()).isEqualTo(3);
    assertThat(ccw.height()).isEqualTo(2);
    assertThat(ccw.get(0, 1, 0)).as("top-left goes bottom-left turning counter-clockwise").isEqualTo(9);
    assertThat(cw.get(2, 0, 0)).as("top-left goes top-right turning clockwise").isEqualTo(9);
    assertThat(flip.get(1, 2, 0)).isEqualTo(9);
    assertThat(VideoSource.upright(img, 0)).isSameAs(img);
  }
}
