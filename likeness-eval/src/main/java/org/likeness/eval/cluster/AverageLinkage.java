package org.likeness.eval.cluster;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Average-linkage agglomerative clustering stopped at a threshold: the two clusters with the
 * highest mean similarity over all their cross pairs merge, until no pair reaches
 * {@code threshold}. Pairs below the graph's floor count as similarity 0 (the floor is far below
 * any threshold used), so only the graph's edges need keeping. Deterministic.
 */
public record AverageLinkage(double threshold) implements ClusterMethod {
  @Override
  public String name() {
    return String.format(Locale.ROOT, "average-linkage(threshold %.2f)", threshold);
  }

  @Override
  public int[] cluster(SimilarityGraph g) {
    int n = g.size();
    int[] size = new int[n];
    int[] parent = new int[n];
    int[] version = new int[n];
    @SuppressWarnings("unchecked")
    Map<Integer, Double>[] sum = new Map[n]; // cluster -> neighbour cluster -> summed similarity of cross pairs
    for (int i = 0; i < n; i++) {
      size[i] = 1;
      parent[i] = i;
      sum[i] = new HashMap<>();
      int[] nb = g.neighbours(i);
      float[] sim = g.similarities(i);
      for (int k = 0; k < nb.length; k++) {
        sum[i].put(nb[k], (double) sim[k]);
      }
    }
    // Candidate merges: {mean, a, b, version a, version b}; stale ones are skipped when polled.
    PriorityQueue<double[]> queue = new PriorityQueue<>((x, y) -> Double.compare(y[0], x[0]));
    for (int i = 0; i < n; i++) {
      for (var e : sum[i].entrySet()) {
        if (e.getKey() > i && e.getValue() >= threshold) {
          queue.add(new double[] {e.getValue(), i, e.getKey(), 0, 0});
        }
      }
    }
    while (!queue.isEmpty()) {
      double[] c = queue.poll();
      int a = (int) c[1], b = (int) c[2];
      if (parent[a] != a || parent[b] != b || version[a] != (int) c[3] || version[b] != (int) c[4]) {
        continue;
      }
      // Merge b into a.
      parent[b] = a;
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
      version[a]++;
      for (var e : sum[a].entrySet()) {
        int other = e.getKey();
        double mean = e.getValue() / ((double) size[a] * size[other]);
        if (mean >= threshold) {
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
