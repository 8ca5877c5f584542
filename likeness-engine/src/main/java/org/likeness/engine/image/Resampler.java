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
    int used = w * k * 3;
    byte[] s = src.pixels();
    byte[] d = new byte[w * h * 3];
    int[] column = new int[used];
    int area = k * k, half = area / 2;
    for (int y = 0; y < h; y++) {
      // Sum k source rows column-wise (a flat loop the JIT vectorises), then fold groups of k columns.
      java.util.Arrays.fill(column, 0);
      for (int yy = y * k, end = yy + k; yy < end; yy++) {
        int row = yy * sw * 3;
        for (int i = 0; i < used; i++) {
          column[i] += s[row + i] & 0xff;
        }
      }
      int o = y * w * 3;
      for (int x = 0; x < w; x++) {
        int base = x * k * 3;
        int r = 0, g = 0, b = 0;
        for (int xx = 0; xx < k * 3; xx += 3) {
          r += column[base + xx];
          g += column[base + xx + 1];
          b += column[base + xx + 2];
        }
        d[o++] = (byte) ((r + half) / area);
        d[o++] = (byte) ((g + half) / area);
        d[o++] = (byte) ((b + half) / area);
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
