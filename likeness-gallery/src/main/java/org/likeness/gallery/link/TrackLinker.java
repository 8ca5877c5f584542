package org.likeness.gallery.link;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.lucene.util.VectorUtil;
import org.likeness.engine.model.ModelPack;

/**
 * Joins the tracks of one video that show one person: a person who leaves and comes back, or is
 * cut away from and back to, is several tracks, and the one that shows the face best may be named
 * while the small or turned ones are not. Average linkage over the tracks' templates, stopped at a
 * threshold, with one rule no similarity overrides: two tracks seen in the same sampled frame are
 * two people, and so are any groups holding them. Deterministic: ties break by track order.
 */
public final class TrackLinker {
  /**
   * The per-comparison false-match rate the link threshold stands at. A name is carried along a
   * link only where the receiving track's own score agrees ({@link Carrying}), so a false link
   * alone names nobody; on scripted LFW scenes 1e-4 carried most of what 1e-3 did
   * (docs/BENCHMARKS.md, "Scripted scenes").
   */
  public static final double LINK_FMR = 1e-4;
  /** The threshold of a pack without a calibration (cosine similarity). */
  static final double UNCALIBRATED = 0.6;

  /** One track: its template (unit length) and the times of the sampled frames it was seen in. */
  public record Item(float[] template, double[] times) {
    /** Sorts a copy of the times. */
    public Item {
      times = times.clone();
      Arrays.sort(times);
    }
  }

  private final double threshold;

  /** Links groups whose mean cross-pair similarity is at least {@code threshold}. */
  public TrackLinker(double threshold) {
    this.threshold = threshold;
  }

  /** The linker of {@code pack}: its similarity at {@link #LINK_FMR}. */
  public static TrackLinker forPack(ModelPack pack) {
    return new TrackLinker(pack.recognizer().similarityAt(LINK_FMR, UNCALIBRATED));
  }

  /** The threshold. */
  public double threshold() {
    return threshold;
  }

  /** Each track's group: the index of the group's first track (its own index when it is linked to none). */
  public int[] link(List<Item> items) {
    int n = items.size();
    double[][] sum = new double[n][];
    double[][] times = new double[n][];
    int[] size = new int[n];
    int[] version = new int[n];
    int[] owner = new int[n];
    boolean[] alive = new boolean[n];
    for (int i = 0; i < n; i++) {
      float[] t = items.get(i).template();
      sum[i] = new double[t.length];
      for (int k = 0; k < t.length; k++) {
        sum[i][k] = t[k];
      }
      times[i] = items.get(i).times();
      size[i] = 1;
      owner[i] = i;
      alive[i] = true;
    }
    record Merge(int a, int b, double similarity, int va, int vb) {}
    PriorityQueue<Merge> queue = new PriorityQueue<>(Comparator.comparingDouble(Merge::similarity).reversed()
        .thenComparingInt(Merge::a).thenComparingInt(Merge::b));
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = VectorUtil.dotProduct(items.get(i).template(), items.get(j).template());
        if (s >= threshold && !shareFrame(times[i], times[j])) {
          queue.add(new Merge(i, j, s, 0, 0));
        }
      }
    }
    while (!queue.isEmpty()) {
      Merge m = queue.poll();
      if (!alive[m.a()] || !alive[m.b()] || version[m.a()] != m.va() || version[m.b()] != m.vb()) {
        continue; // one side has grown since: its pairs were queued again
      }
      int a = m.a(), b = m.b();
      for (int k = 0; k < sum[a].length; k++) {
        sum[a][k] += sum[b][k];
      }
      size[a] += size[b];
      times[a] = merge(times[a], times[b]);
      alive[b] = false;
      version[a]++;
      for (int i = 0; i < n; i++) {
        if (owner[i] == b) {
          owner[i] = a;
        }
      }
      for (int c = 0; c < n; c++) {
        if (c == a || !alive[c]) {
          continue;
        }
        double s = dot(sum[a], sum[c]) / ((double) size[a] * size[c]);
        if (s >= threshold && !shareFrame(times[a], times[c])) {
          queue.add(c < a ? new Merge(c, a, s, version[c], version[a]) : new Merge(a, c, s, version[a], version[c]));
        }
      }
    }
    int[] first = new int[n];
    Arrays.fill(first, -1);
    int[] group = new int[n];
    for (int i = 0; i < n; i++) {
      if (first[owner[i]] < 0) {
        first[owner[i]] = i;
      }
      group[i] = first[owner[i]];
    }
    return group;
  }

  /** Whether two ascending lists of frame times have a time in common. */
  static boolean shareFrame(double[] a, double[] b) {
    if (a.length == 0 || b.length == 0 || a[a.length - 1] < b[0] || b[b.length - 1] < a[0]) {
      return false;
    }
    int i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (Math.abs(a[i] - b[j]) < 1e-6) {
        return true;
      }
      if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return false;
  }

  private static double[] merge(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    Arrays.sort(out);
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}
