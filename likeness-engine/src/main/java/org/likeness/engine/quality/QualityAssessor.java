package org.likeness.engine.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.likeness.engine.geom.Point;
import org.likeness.engine.image.RgbImage;

/** Measures a face's usability from its detector score, 5 landmarks and aligned crop. */
public final class QualityAssessor {
  private final QualityLimits limits;

  public QualityAssessor(QualityLimits limits) {
    this.limits = limits;
  }

  public QualityLimits limits() {
    return limits;
  }

  /** The quality record of one face. */
  public Quality assess(double score, List<Point> five, RgbImage aligned, double outside) {
    Point le = five.get(0), re = five.get(1), nose = five.get(2);
    double iod = le.distance(re);
    double roll = Math.toDegrees(Math.atan2(re.y() - le.y(), re.x() - le.x()));
    double yaw = yaw(le, re, nose);
    double sharpness = laplacianVariance(aligned);
    List<String> reasons = new ArrayList<>();
    if (score < limits.minScore()) {
      reasons.add(fmt("detector score %.3f < %.3f", score, limits.minScore()));
    }
    if (iod < limits.minInterOcular()) {
      reasons.add(fmt("inter-ocular distance %.1f px < %.1f px", iod, limits.minInterOcular()));
    }
    if (sharpness < limits.minSharpness()) {
      reasons.add(fmt("sharpness %.1f < %.1f (blurred)", sharpness, limits.minSharpness()));
    }
    if (Math.abs(yaw) > limits.maxYaw()) {
      reasons.add(fmt("yaw %.1f deg beyond +/-%.1f", yaw, limits.maxYaw()));
    }
    if (Math.abs(roll) > limits.maxRoll()) {
      reasons.add(fmt("roll %.1f deg beyond +/-%.1f", roll, limits.maxRoll()));
    }
    if (outside > limits.maxOutside()) {
      reasons.add(fmt("face partly outside the image (%.0f%% of the aligned crop)", outside * 100));
    }
    return new Quality(score, iod, sharpness, yaw, roll, outside, reasons.isEmpty(), reasons);
  }

  /**
   * Yaw from the nose's offset along the eye line relative to half the inter-ocular distance: a
   * frontal face has the nose tip midway; arcsin maps the normalised offset to an angle.
   */
  static double yaw(Point le, Point re, Point nose) {
    double dx = re.x() - le.x(), dy = re.y() - le.y();
    double iod = Math.hypot(dx, dy);
    if (iod == 0) {
      return 0;
    }
    Point mid = le.midpoint(re);
    double along = ((nose.x() - mid.x()) * dx + (nose.y() - mid.y()) * dy) / iod;
    double t = Math.max(-1, Math.min(1, along / (iod / 2)));
    return Math.toDegrees(Math.asin(t));
  }

  /** Variance of the 4-neighbour Laplacian of the crop's luma. */
  static double laplacianVariance(RgbImage img) {
    int w = img.width(), h = img.height();
    double[] l = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        l[y * w + x] = img.luma(x, y);
      }
    }
    double sum = 0, sq = 0;
    int n = 0;
    for (int y = 1; y < h - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        int i = y * w + x;
        double v = l[i - 1] + l[i + 1] + l[i - w] + l[i + w] - 4 * l[i];
        sum += v;
        sq += v * v;
        n++;
      }
    }
    if (n == 0) {
      return 0;
    }
    double mean = sum / n;
    return sq / n - mean * mean;
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
