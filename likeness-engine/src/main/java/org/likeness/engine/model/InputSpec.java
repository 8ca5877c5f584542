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
