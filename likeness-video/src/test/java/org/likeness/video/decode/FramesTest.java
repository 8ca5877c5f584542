package org.likeness.video.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.likeness.engine.image.RgbImage;

/** Frames whose rows are padded (a width whose row is not a multiple of 8 bytes) keep every pixel in place. */
class FramesTest {

  @Test
  void oddWidthsRespectTheStride() {
    Random rnd = new Random(8);
    int w = 213, h = 7; // 639 bytes a row, padded to 640
    byte[] px = new byte[w * h * 3];
    rnd.nextBytes(px);
    Frame f = Frames.bgr(new RgbImage(w, h, px), 1.5);
    assertThat(f.imageStride).isGreaterThan(w * 3);
    assertThat(f.timestamp).isEqualTo(1_500_000L);
    ByteBuffer b = (ByteBuffer) f.image[0];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3, p = y * f.imageStride + x * 3;
        assertThat(new byte[] {b.get(p), b.get(p + 1), b.get(p + 2)}).as("pixel %d,%d", x, y)
            .containsExactly(px[o + 2], px[o + 1], px[o]);
      }
    }
    // And back: read as RGB (the frame's bytes swapped again) row by row.
    Frame rgb = Frames.bgr(px, w, h, 0); // the same packing, taken as if the bytes were RGB
    assertThat(Frames.rgb(rgb).pixels()).containsExactly(px);
  }
}
