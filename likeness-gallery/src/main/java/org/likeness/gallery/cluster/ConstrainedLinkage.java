package org.likeness.gallery.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Average-linkage agglomerative clustering stopped at a threshold, starting from groups: the two
 * clusters with the highest mean similarity over all their cross pairs merge until no pair reaches
 * {@code threshold}, except that two clusters holding locked groups never merge (a reviewer placed
 * those faces; only a reviewer joins them). Pairs below the graph's floor count as similarity 0.
 * Deterministic: ties break by cluster index. Chosen on LFW against DBSCAN and Chinese Whispers
 * (docs/BENCHMARKS.md, clustering).
 */
public final class ConstrainedLinkage {
  private final double threshold;

  /** Merges while the mean similarity of two clusters is at least {@code threshold}. */
  public ConstrainedLinkage(double threshold) {
    this.threshold = threshold;
  }

  /** The threshold. */
  public double threshold() {
    return threshold;
  }

  /** Without groups: every face starts alone, nothing is locked. */
  public int[] cluster(SimilarityGraph g) {
    int[] group = new int[g.size()];
    for (int i = 0; i < group.length; i++) {
      group[i] = i;
    }
    return cluster(g, group, new boolean[g.size()]);
  }

  /**
   * A cluster label per face (the index of one of its faces).
   *
   * @param group each face's starting group (faces of one group start as one cluster); values in [0, n)
   * @param locked per group: whether a reviewer fixed it (two locked groups never end up together)
   */
  public int[] cluster(SimilarityGraph g, int[] group, boolean[] locked) {
    int n = g.size();
    // Clusters are named by their first face; a group's faces join that face's cluster.
    int[] parent = new int[n];
    int[] head = new int[n];
    java.util.Arrays.fill(head, -1);
    for (int i = 0; i < n; i++) {
      if (head[group[i]] < 0) {
        head[group[i]] = i;
      }
      parent[i] = head[group[i]];
    }
    int[] size = new int[n];
    boolean[] holdsLock = new boolean[n];
    int[] version = new int[n];
    @SuppressWarnings("unchecked")
    Map<Integer, Double>[] sum = new Map[n]; // cluster -> neighbour cluster -> summed similarity of cross pairs
    for (int i = 0; i < n; i++) {
      size[parent[i]]++;
      holdsLock[parent[i]] |= locked[group[i]];
    }
    for (int i = 0; i < n; i++) {
      if (parent[i] == i) {
        sum[i] = new HashMap<>();
      }
    }
    for (int i = 0; i < n; i++) {
      int a = parent[i];
      int[] nb = g.neighbours(i);
      float[] sim = g.similarities(i);
      for (int k = 0; k < nb.length; k++) {
        int b = parent[nb[k]];
        if (a != b) {
          sum[a].merge(b, (double) sim[k], Double::sum);
        }
      }
    }
    // Row i adds each pair (i, j) to sum[A][B] and row j adds it to sum[B][A]: each directed sum counts every cross pair once.
    PriorityQueue<double[]> queue = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Double.compare(y[0], x[0])
        : x[1] != y[1] ? Double.compare(x[1], y[1]) : Double.compare(x[2], y[2]));
    for (int a = 0; a < n; a++) {
      if (sum[a] == null) {
        continue;
      }
      for (var e : sum[a].entrySet()) {
        int b = e.getKey();
        double mean = e.getValue() / ((double) size[a] * size[b]);
        if (b > a && mean >= threshold && !(holdsLock[a] && holdsLock[b])) {
          queue.add(new double[] {mean, a, b, 0, 0});
        }
      }
    }
    while (!queue.isEmpty()) {
      double[] c = queue.poll();
      int a = (int) c[1], b = (int) c[2];
      if (parent[a] != a || parent[b] != b || version[a] != (int) c[3] || version[b] != (int) c[4]) {
        continue;
      }
      parent[b] = a; // b into a
      for (var e : sum[b].entrySet()) {
        int other = e.getKey();
        if (other == a) {
          continue;
        }
        sum[a].merge(other, e.getValue(), Double::sum);
        sum[other].remove(b);
        sum[other].merge(a, e.getValue(), Double::sum);
      }
      sum[a].remove(b);
      sum[b] = Map.of();
      size[a] += size[b];
      holdsLock[a] |= holdsLock[b];
      version[a]++;
      for (var e : sum[a].entrySet()) {
        int other = e.getKey();
        double mean = e.getValue() / ((double) size[a] * size[other]);
        if (mean >= threshold && !(holdsLock[a] && holdsLock[other])) {
          int lo = Math.min(a, other), hi = Math.max(a, other);
          queue.add(new double[] {mean, lo, hi, version[lo], version[hi]});
        }
      }
    }
    int[] label = new int[n];
    for (int i = 0; i < n; i++) {
      int r = i;
      while (parent[r] != r) {
        r = parent[r];
      }
      label[i] = r;
    }
    return label;
  }
}
