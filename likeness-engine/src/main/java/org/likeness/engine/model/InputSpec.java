package org.likeness.engine.model;

import java.util.Arrays;
import org.likeness.engine.image.RgbImage;

/**
 * How pixels become a model's NCHW float input: size, channel order and per-channel
 * {@code (value - mean) / std}. The pre-processing step, testable on its own.
 */
public record InputSpec(String name, int width, int height, ColorOrder colorOrder, float[] mean, float[] std) {

  public InputSpec {
    int c = colorOrder.channels();
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("input size must be positive");
    }
    if (mean.length != c || std.length != c) {
      throw new IllegalArgumentException(colorOrder + " input needs " + c + " mean and std values, got "
          + mean.length + " and " + std.length);
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be positive: " + Arrays.toString(std));
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  public int channels() {
    return colorOrder.channels();
  }

  /** Floats in one input item (C x H x W). */
  public int size() {
    return channels() * width * height;
  }

  /** The input tensor shape for a batch of n items. */
  public long[] shape(int n) {
    return new long[] {n, channels(), height, width};
  }

  /**
   * Writes the {@code width x height} window of {@code img} whose top-left is (x0, y0) into
   * {@code out} at {@code offset}, CHW. Pixels outside the image read as the mean (input 0).
   */
  public void write(RgbImage img, int x0, int y0, float[] out, int offset) {
    int plane = width * height;
    byte[] px = img.pixels();
    int iw = img.width(), ih = img.height();
    int[] src = colorOrder == ColorOrder.BGR ? new int[] {2, 1, 0} : new int[] {0, 1, 2};
    if (colorOrder != ColorOrder.GRAY && x0 >= 0 && y0 >= 0 && x0 + width <= iw && y0 + height <= ih) {
      writeInside(px, iw, x0, y0, out, offset, src);
      return;
    }
    for (int y = 0; y < height; y++) {
      int sy = y0 + y;
      for (int x = 0; x < width; x++) {
        int sx = x0 + x;
        int o = offset + y * width + x;
        if (sy < 0 || sy >= ih || sx < 0 || sx >= iw) {
          for (int c = 0; c < channels(); c++) {
            out[o + c * plane] = 0f;
          }
          continue;
        }
        int i = (sy * iw + sx) * 3;
        if (colorOrder == ColorOrder.GRAY) {
          float l = 0.299f * (px[i] & 0xff) + 0.587f * (px[i + 1] & 0xff) + 0.114f * (px[i + 2] & 0xff);
          out[o] = (l - mean[0]) / std[0];
        } else {
          for (int c = 0; c < 3; c++) {
            out[o + c * plane] = ((px[i + src[c]] & 0xff) - mean[c]) / std[c];
          }
        }
      }
    }
  }

  /** The common case, a window wholly inside the image: no bounds checks, one pass per row. */
  private void writeInside(byte[] px, int iw, int x0, int y0, float[] out, int offset, int[] src) {
    int plane = width * height;
    float m0 = mean[0], m1 = mean[1], m2 = mean[2];
    float s0 = 1 / std[0], s1 = 1 / std[1], s2 = 1 / std[2];
    int c0 = src[0], c1 = src[1], c2 = src[2];
    for (int y = 0; y < height; y++) {
      int i = ((y0 + y) * iw + x0) * 3;
      int o = offset + y * width;
      for (int x = 0; x < width; x++, i += 3, o++) {
        out[o] = ((px[i + c0] & 0xff) - m0) * s0;
        out[o + plane] = ((px[i + c1] & 0xff) - m1) * s1;
        out[o + 2 * plane] = ((px[i + c2] & 0xff) - m2) * s2;
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputSpec s && s.name.equals(name) && s.width == width && s.height == height
        && s.colorOrder == colorOrder && Arrays.equals(s.mean, mean) && Arrays.equals(s.std, std);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {name, width, height, colorOrder, Arrays.hashCode(mean), Arrays.hashCode(std)});
  }

  @Override
  public String toString() {
    return "InputSpec[" + name + " " + width + "x" + height + " " + colorOrder + " mean=" + Arrays.toString(mean)
        + " std=" + Arrays.toString(std) + "]";
  }
}
