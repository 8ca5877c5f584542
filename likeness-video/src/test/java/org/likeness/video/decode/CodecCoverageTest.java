package org.likeness.video.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The containers and codecs footage arrives in, as far as the FFmpeg build decodes them: 1.5 s of
 * the Hamilton clip at 480x270 encoded by Debian's ffmpeg (commands in the resources' README).
 */
class CodecCoverageTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"h264.mov, h264", "hevc.mkv, hevc", "vp9.webm, vp9", "av1.mp4, av1", "mpeg4.avi, mpeg4"})
  void decodesEveryFrameWithRisingTimes(String file, String codec) throws Exception {
    List<SampledFrame> frames = new ArrayList<>();
    VideoInfo info = new VideoSource(Path.of("src", "test", "resources", "codecs", file), VideoLimits.DEFAULT)
        .scan(0, i -> { }, frames::add);
    assertThat(info.codec()).contains(codec);
    assertThat(info.width()).isEqualTo(480);
    assertThat(info.height()).isEqualTo(270);
    assertThat(info.fps()).isBetween(29.9, 30.0);
    assertThat(frames).hasSizeBetween(44, 46); // 1.5 s at 29.97 fps
    for (int i = 1; i < frames.size(); i++) {
      assertThat(frames.get(i).time()).isGreaterThan(frames.get(i - 1).time());
    }
    assertThat(frames.getFirst().image().width()).isEqualTo(480);
    // Not a grey frame: the decoder produced the picture (the middle row varies).
    var img = frames.get(20).image();
    int min = 255, max = 0;
    for (int x = 0; x < img.width(); x++) {
      int v = (int) img.luma(x, img.height() / 2);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(max - min).isGreaterThan(40);
  }
}
