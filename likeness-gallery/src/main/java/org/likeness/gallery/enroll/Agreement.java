package org.likeness.gallery.enroll;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Enrolment hygiene: which of a subject's faces disagree with the rest. Watchlists are built from
 * scraped photos, some of other people; each face's agreement is its (upper) median similarity to
 * the subject's other faces, and a face whose agreement is below {@code threshold} is a suspect (with
 * three or more faces the majority decides; of two that disagree both are suspects, since nothing
 * says which is wrong; a lone face is never one). The median, not the mean, so that one wrong photo
 * among many cannot drag a right one below the line.
 */
public final class Agreement {
  private Agreement() {}

  /** One face's agreement with the others of its subject. */
  public record Scored(long faceId, double agreement, boolean suspect) {}

  /** Every face of one subject scored; {@code templates} unit vectors, same order as {@code faceIds}. */
  public static List<Scored> score(List<Long> faceIds, List<float[]> templates, double threshold) {
    int n = faceIds.size();
    Scored[] out = new Scored[n];
    for (int i = 0; i < n; i++) {
      if (n == 1) {
        out[i] = new Scored(faceIds.get(i), Double.NaN, false);
        continue;
      }
      double[] others = new double[n - 1];
      int k = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          others[k++] = dot(templates.get(i), templates.get(j));
        }
      }
      Arrays.sort(others);
      // the upper median: a face agrees when at least half of the others agree with it (of three
      // faces, two that agree outvote the third; of two that disagree, neither outvotes the other)
      double median = others[others.length / 2];
      out[i] = new Scored(faceIds.get(i), median, median < threshold);
    }
    return List.of(out);
  }

  /** The ids of the suspects among {@code scored}. */
  public static Set<Long> suspects(List<Scored> scored) {
    Set<Long> s = new HashSet<>();
    scored.forEach(x -> {
      if (x.suspect()) {
        s.add(x.faceId());
      }
    });
    return s;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
