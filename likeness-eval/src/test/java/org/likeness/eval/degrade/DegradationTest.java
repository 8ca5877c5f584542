package org.likeness.eval.degrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The degradations on a fixture photo: sizes as asked, and more damage for a harsher setting. */
class DegradationTest {
  private static BufferedImage photo() throws Exception {
    Path p = Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve("examples/biden.jpg");
    return Degradation.read(Files.readAllBytes(p));
  }

  @Test
  void lowBitrateH264DamagesMoreAtFewerBits() throws Exception {
    BufferedImage img = photo();
    BufferedImage rich = Degradation.read(Degradation.parse("h264-3000").apply(img, 100));
    BufferedImage poor = Degradation.read(Degradation.parse("h264-100").apply(img, 100));
    assertThat(poor.getWidth()).isEqualTo(img.getWidth() & ~1);
    assertThat(poor.getHeight()).isEqualTo(img.getHeight() & ~1);
    double richError = error(img, rich), poorError = error(img, poor);
    assertThat(richError).as("a generous bitrate keeps the picture").isLessThan(6);
    assertThat(poorError).as("a starved one does not").isGreaterThan(richError * 1.5);
  }

  @Test
  void widthScalesTheFaceAndNamesAreChecked() throws Exception {
    BufferedImage img = photo();
    BufferedImage small = Degradation.read(Degradation.parse("w24").apply(img, 240));
    assertThat(small.getWidth()).isEqualTo(Math.round(img.getWidth() * 0.1f));
    assertThatThrownBy(() -> Degradation.parse("h264-fast")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTrackConditionRendersItsFramesAtGrowingWidthsAndOtherPhases() throws Exception {
    BufferedImage img = photo();
    Degradation track = Degradation.parse("w16x8");
    assertThat(track.kind()).isEqualTo(Degradation.Kind.TRACK);
    assertThat(track.frames()).isEqualTo(8);
    assertThat(Degradation.parse("w16").frames()).isEqualTo(1);
    java.util.List<byte[]> frames = track.frames(img, 160, 7);
    assertThat(frames).hasSize(8);
    BufferedImage first = Degradation.read(frames.get(0)), last = Degradation.read(frames.get(7));
    assertThat(first.getWidth()).isCloseTo(Math.round(img.getWidth() * 0.1f), org.assertj.core.api.Assertions.within(1));
    assertThat(last.getWidth()).as("10 %% wider at the last frame").isGreaterThan(first.getWidth());
    // the same seed renders the same frames; frames differ from one another
    java.util.List<byte[]> again = track.frames(img, 160, 7);
    for (int i = 0; i < 8; i++) {
      assertThat(again.get(i)).isEqualTo(frames.get(i));
    }
    assertThat(java.util.Arrays.equals(frames.get(0), frames.get(1))).isFalse();
    assertThat(Degradation.parse("w24").frames(img, 160, 7)).hasSize(1);
    assertThatThrownBy(() -> Degradation.parse("w16x1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Degradation.parse("w16xk")).isInstanceOf(IllegalArgumentException.class);
  }

  /** Mean absolute difference per channel over the common area. */
  private static double error(BufferedImage a, BufferedImage b) {
    long sum = 0, n = 0;
    for (int y = 0; y < Math.min(a.getHeight(), b.getHeight()); y++) {
      for (int x = 0; x < Math.min(a.getWidth(), b.getWidth()); x++) {
        int p = a.getRGB(x, y), q = b.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
          sum += Math.abs((p >> s & 255) - (q >> s & 255));
          n++;
        }
      }
    }
    return (double) sum / n;
  }
}
