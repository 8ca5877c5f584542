package org.likeness.engine.align;

import java.util.List;
import org.likeness.engine.geom.Point;

/**
 * A 2-D similarity (rotation, uniform scale, translation): x' = a x - b y + tx, y' = b x + a y + ty.
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

  /** Least-squares similarity mapping {@code src} onto {@code dst} (Umeyama 1991, no reflection). */
  public static SimilarityTransform estimate(List<Point> src, List<Point> dst) {
    int n = src.size();
    if (n != dst.size() || n < 2) {
      throw new IllegalArgumentException("need the same number (>= 2) of source and target points");
    }
    double sxm = 0, sym = 0, dxm = 0, dym = 0;
    for (int i = 0; i < n; i++) {
      sxm += src.get(i).x();
      sym += src.get(i).y();
      dxm += dst.get(i).x();
      dym += dst.get(i).y();
    }
    sxm /= n;
    sym /= n;
    dxm /= n;
    dym /= n;
    // For 2-D similarity the closed form reduces to: a = sum(u.u')/|u|^2, b = sum(u x u')/|u|^2.
    double dot = 0, cross = 0, norm = 0;
    for (int i = 0; i < n; i++) {
      double ux = src.get(i).x() - sxm, uy = src.get(i).y() - sym;
      double vx = dst.get(i).x() - dxm, vy = dst.get(i).y() - dym;
      dot += ux * vx + uy * vy;
      cross += ux * vy - uy * vx;
      norm += ux * ux + uy * uy;
    }
    if (norm == 0) {
      throw new IllegalArgumentException("source points are all the same");
    }
    double a = dot / norm, b = cross / norm;
    return new SimilarityTransform(a, b, dxm - (a * sxm - b * sym), dym - (b * sxm + a * sym));
  }

  /** The image of {@code p}. */
  public Point apply(Point p) {
    return new Point(a * p.x() - b * p.y() + tx, b * p.x() + a * p.y() + ty);
  }

  /** The inverse transform. */
  public SimilarityTransform inverse() {
    double d = a * a + b * b;
    double ia = a / d, ib = -b / d;
    return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
  }

  /** Scale factor. */
  public double scale() {
    return Math.hypot(a, b);
  }

  /** Rotation in degrees. */
  public double rotationDegrees() {
    return Math.toDegrees(Math.atan2(b, a));
  }
}
