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
