package org.likeness.engine.landmark;

import java.util.List;
import org.likeness.engine.geom.Point;

/** The 68 iBUG-layout points of one face, in image pixels, and the 5 alignment points derived from them. */
public record Landmarks(List<Point> points68) {

  public Landmarks {
    if (points68.size() != 68) {
      throw new IllegalArgumentException("expected 68 points, got " + points68.size());
    }
    points68 = List.copyOf(points68);
  }

  /** Left eye, right eye (as seen in the image), nose tip, left and right mouth corners. */
  public List<Point> fivePoints() {
    return List.of(mean(37, 38, 40, 41), mean(43, 44, 46, 47), points68.get(30), mean(48, 60), mean(54, 64));
  }

  private Point mean(int... idx) {
    double x = 0, y = 0;
    for (int i : idx) {
      x += points68.get(i).x();
      y += points68.get(i).y();
    }
    return new Point(x / idx.length, y / idx.length);
  }
}
