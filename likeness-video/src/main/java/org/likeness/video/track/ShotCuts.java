package org.likeness.video.track;

import org.likeness.engine.image.RgbImage;

/**
 * Tells a cut between shots from the change of a 32x18 luma thumbnail between sampled frames:
 * within a shot, even with motion, the mean absolute difference stays small; across a cut it jumps.
 * Not thread-safe.
 */
public final class ShotCuts {
  /** Mean absolute luma difference (0-255) above which two sampled frames are in different shots. */
  static final double THRESHOLD = 45;
  private static final int W = 32, H = 18;
  private double[] previous;

  /** Whether {@code frame} starts a new shot (false for the first frame). */
  public boolean isCut(RgbImage frame) {
    double[] t = thumbnail(frame);
    boolean cut = false;
    if (previous != null) {
      double d = 0;
      for (int i = 0; i < t.length; i++) {
        d += Math.abs(t[i] - previous[i]);
      }
      cut = d / t.length > THRESHOLD;
    }
    previous = t;
    return cut;
  }

  private static double[] thumbnail(RgbImage img) {
    double[] t = new double[W * H];
    int[] n = new int[W * H];
    int stepX = Math.max(1, img.width() / (W * 4)), stepY = Math.max(1, img.height() / (H * 4));
    for (int y = 0; y < img.height(); y += stepY) {
      for (int x = 0; x < img.width(); x += stepX) {
        int i = Math.min(H - 1, y * H / img.height()) * W + Math.min(W - 1, x * W / img.width());
        t[i] += img.luma(x, y);
        n[i]++;
      }
    }
    for (int i = 0; i < t.length; i++) {
      t[i] = n[i] == 0 ? 0 : t[i] / n[i];
    }
    return t;
  }
}
