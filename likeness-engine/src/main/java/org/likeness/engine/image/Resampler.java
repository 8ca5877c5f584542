package org.likeness.engine.image;

/**
 * Resizes RGB images. Large reductions first average k x k blocks (an area filter, so small faces
 * are not lost to aliasing), then finish with bilinear interpolation to the exact size.
 */
public final class Resampler {
  private Resampler() {}

  /** {@code src} resized to {@code dw x dh}. */
  public static RgbImage resize(RgbImage src, int dw, int dh) {
    if (dw == src.width() && dh == src.height()) {
      return src;
    }
    int k = Math.min(src.width() / dw, src.height() / dh);
    RgbImage pre = k >= 2 ? boxShrink(src, k) : src;
    return bilinear(pre, dw, dh);
  }

  /** Averages k x k blocks; the last partial row/column of blocks is dropped (at most k-1 pixels). */
  static RgbImage boxShrink(RgbImage src, int k) {
    int w = src.width() / k, h = src.height() / k, sw = src.width();
    byte[] s = src.pixels();
    byte[] d = new byte[w * h * 3];
    int[] acc = new int[w * 3];
    int area = k * k;
    for (int y = 0; y < h; y++) {
      java.util.Arrays.fill(acc, 0);
      for (int yy = y * k; yy < y * k + k; yy++) {
        int row = yy * sw * 3;
        for (int x = 0; x < w; x++) {
          int base = row + x * k * 3;
          int r = 0, g = 0, b = 0;
          for (int xx = 0; xx < k; xx++) {
            int i = base + xx * 3;
            r += s[i] & 0xff;
            g += s[i + 1] & 0xff;
            b += s[i + 2] & 0xff;
          }
          acc[x * 3] += r;
          acc[x * 3 + 1] += g;
          acc[x * 3 + 2] += b;
        }
      }
      int o = y * w * 3;
      for (int i = 0; i < w * 3; i++) {
        d[o + i] = (byte) ((acc[i] + area / 2) / area);
      }
    }
    return new RgbImage(w, h, d);
  }

  /** Bilinear resize with pixel-centre alignment (as OpenCV's INTER_LINEAR). */
  static RgbImage bilinear(RgbImage src, int dw, int dh) {
    int sw = src.width(), sh = src.height();
    byte[] s = src.pixels();
    byte[] d = new byte[dw * dh * 3];
    double fx = (double) sw / dw, fy = (double) sh / dh;
    int[] x0 = new int[dw], x1 = new int[dw];
    float[] ax = new float[dw];
    for (int x = 0; x < dw; x++) {
      double sx = Math.max(0, (x + 0.5) * fx - 0.5);
      int i = Math.min((int) sx, sw - 1);
      x0[x] = i * 3;
      x1[x] = Math.min(i + 1, sw - 1) * 3;
      ax[x] = (float) (sx - i);
    }
    for (int y = 0; y < dh; y++) {
      double sy = Math.max(0, (y + 0.5) * fy - 0.5);
      int j = Math.min((int) sy, sh - 1);
      int j1 = Math.min(j + 1, sh - 1);
      float ay = (float) (sy - j);
      int r0 = j * sw * 3, r1 = j1 * sw * 3, o = y * dw * 3;
      for (int x = 0; x < dw; x++) {
        float a = ax[x];
        for (int c = 0; c < 3; c++) {
          float top = (s[r0 + x0[x] + c] & 0xff) * (1 - a) + (s[r0 + x1[x] + c] & 0xff) * a;
          float bot = (s[r1 + x0[x] + c] & 0xff) * (1 - a) + (s[r1 + x1[x] + c] & 0xff) * a;
          d[o++] = (byte) (top * (1 - ay) + bot * ay + 0.5f);
        }
      }
    }
    return new RgbImage(dw, dh, d);
  }
}
