package org.likeness.engine.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression. */
public final class Nms {
  private Nms() {}

  /**
   * Keeps the best-scoring boxes, dropping any that overlaps a kept one by more than {@code iou},
   * or lies mostly (over {@code containment} of its area) inside a kept one — the partial face that
   * tiling and pyramid levels produce beside the whole one.
   */
  public static List<Detection> suppress(List<Detection> in, double iou, double containment, int max) {
    List<Detection> sorted = new ArrayList<>(in);
    sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> kept = new ArrayList<>();
    for (Detection d : sorted) {
      boolean keep = true;
      for (Detection k : kept) {
        double inter = d.box().intersectionArea(k.box());
        double union = d.box().area() + k.box().area() - inter;
        double smaller = Math.min(d.box().area(), k.box().area());
        if ((union > 0 && inter / union > iou) || (smaller > 0 && inter / smaller > containment)) {
          keep = false;
          break;
        }
      }
      if (keep) {
        kept.add(d);
        if (kept.size() == max) {
          break;
        }
      }
    }
    return kept;
  }
}
