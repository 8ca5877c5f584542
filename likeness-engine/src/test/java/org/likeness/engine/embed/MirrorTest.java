package org.likeness.engine.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.engine.image.RgbImage;

/** The mirror image flip averaging embeds: left and right swapped, colours kept, twice is the original. */
class MirrorTest {
  @Test
  void mirrorsLeftToRight() {
    Random random = new Random(Long.getLong("tests.seed", 5));
    int w = 1 + random.nextInt(9), h = 1 + random.nextInt(9);
    byte[] px = new byte[w * h * 3];
    random.nextBytes(px);
    RgbImage img = new RgbImage(w, h, px);
    RgbImage m = FaceEmbedder.mirror(img);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          assertThat(m.get(w - 1 - x, y, c)).isEqualTo(img.get(x, y, c));
        }
      }
    }
    assertThat(FaceEmbedder.mirror(m).pixels()).containsExactly(px);
  }
}
