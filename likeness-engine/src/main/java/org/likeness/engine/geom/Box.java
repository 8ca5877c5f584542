package org.likeness.engine.geom;

/** An axis-aligned rectangle in pixel coordinates, (x, y) being the top-left corner. */
public record Box(double x, double y, double width, double height) implements java.io.Serializable {

  public Box {
    if (!(width >= 0 && height >= 0)) {
      throw new IllegalArgumentException("negative box size: " + width + "x" + height);
    }
  }

  /** A box from its corners. */
  public static Box ofCorners(double x1, double y1, double x2, double y2) {
    return new Box(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1));
  }

  public double right() {
    return x + width;
  }

  public double bottom() {
    return y + height;
  }

  public double area() {
    return width * height;
  }

  public Point center() {
    return new Point(x + width / 2, y + height / 2);
  }

  /** Intersection over union with another box, 0 when they do not overlap. */
  public double iou(Box o) {
    double inter = intersectionArea(o);
    double union = area() + o.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  /** Area shared with another box. */
  public double intersectionArea(Box o) {
    double w = Math.min(right(), o.right()) - Math.max(x, o.x);
    double h = Math.min(bottom(), o.bottom()) - Math.max(y, o.y);
    return w <= 0 || h <= 0 ? 0 : w * h;
  }

  /** This box clipped to [0,w) x [0,h). */
  public Box clip(double w, double h) {
    double x1 = Math.max(0, x), y1 = Math.max(0, y);
    double x2 = Math.min(w, right()), y2 = Math.min(h, bottom());
    return new Box(x1, y1, Math.max(0, x2 - x1), Math.max(0, y2 - y1));
  }

  /** This box scaled about the origin and then translated: maps detector coordinates to image ones. */
  public Box scaleThenShift(double scale, double dx, double dy) {
    return new Box(x * scale + dx, y * scale + dy, width * scale, height * scale);
  }
}
