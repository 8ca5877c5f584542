package org.likeness.engine.image;

/** Applies an EXIF orientation (1..8) so the returned image is upright as a viewer shows it. */
public final class Orientation {
  private Orientation() {}

  /** The image turned from EXIF orientation {@code o} to orientation 1. */
  public static RgbImage apply(RgbImage src, int o) {
    if (o <= 1 || o > 8) {
      return src;
    }
    int w = src.width(), h = src.height();
    boolean swap = o >= 5;
    int ow = swap ? h : w, oh = swap ? w : h;
    byte[] s = src.pixels();
    byte[] d = new byte[s.length];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx, sy;
        switch (o) {
          case 2 -> { sx = w - 1 - x; sy = y; }
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
          case 4 -> { sx = x; sy = h - 1 - y; }
          case 5 -> { sx = y; sy = x; }
          case 6 -> { sx = y; sy = h - 1 - x; }
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
          default -> { sx = w - 1 - y; sy = x; } // 8
        }
        int si = (sy * w + sx) * 3, di = (y * ow + x) * 3;
        d[di] = s[si];
        d[di + 1] = s[si + 1];
        d[di + 2] = s[si + 2];
      }
    }
    return new RgbImage(ow, oh, d);
  }
}
