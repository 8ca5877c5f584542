package org.likeness.engine.image;

import java.util.Objects;

/**
 * An 8-bit RGB raster, interleaved row-major (r, g, b per pixel). The pixel array is shared, not
 * copied: treat it as read-only once the image is built.
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final byte[] rgb;

  public RgbImage(int width, int height, byte[] rgb) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    Objects.requireNonNull(rgb, "rgb");
    if (rgb.length != Math.multiplyExact(Math.multiplyExact(width, height), 3)) {
      throw new IllegalArgumentException("pixel array length " + rgb.length + " does not match " + width + "x" + height + "x3");
    }
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /** A blank (black) image. */
  public static RgbImage blank(int width, int height) {
    return new RgbImage(width, height, new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)]);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The interleaved RGB bytes (unsigned; mask with 0xff). */
  public byte[] pixels() {
    return rgb;
  }

  /** Channel c (0=R, 1=G, 2=B) of pixel (x, y), 0..255. */
  public int get(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xff;
  }

  /** Luma (BT.601) of pixel (x, y), 0..255. */
  public double luma(int x, int y) {
    int i = (y * width + x) * 3;
    return 0.299 * (rgb[i] & 0xff) + 0.587 * (rgb[i + 1] & 0xff) + 0.114 * (rgb[i + 2] & 0xff);
  }

  /** A copy of the region [x, x+w) x [y, y+h), which must lie inside the image. */
  public RgbImage crop(int x, int y, int w, int h) {
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
      throw new IllegalArgumentException("crop " + x + "," + y + " " + w + "x" + h + " outside " + width + "x" + height);
    }
    byte[] d = new byte[w * h * 3];
    for (int r = 0; r < h; r++) {
      System.arraycopy(rgb, ((y + r) * width + x) * 3, d, r * w * 3, w * 3);
    }
    return new RgbImage(w, h, d);
  }
}
