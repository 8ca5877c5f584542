package org.likeness.engine.geom;

/** A point in image pixel coordinates. */
public record Point(double x, double y) {

  /** Euclidean distance to another point. */
  public double distance(Point o) {
    return Math.hypot(x - o.x, y - o.y);
  }

  /** The midpoint between this point and another. */
  public Point midpoint(Point o) {
    return new Point((x + o.x) / 2, (y + o.y) / 2);
  }
}
