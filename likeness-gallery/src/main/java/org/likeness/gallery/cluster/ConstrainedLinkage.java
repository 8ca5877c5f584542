package org.likeness.gallery.cluster;

import java.util.Arrays;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;

/**
 * Average-linkage agglomerative clustering stopped at a threshold, starting from groups: the two
 * clusters with the highest mean similarity over all their cross pairs merge until no pair reaches
 * {@code threshold}, except that two clusters holding locked groups never merge (a reviewer placed
 * those faces; only a reviewer joins them). The graph's edges say which clusters are candidates
 * (two clusters with no edge between them never merge); the mean itself is exact, from each
 * cluster's sum of unit templates (mean of all cross pairs = sumA . sumB / (|A| |B|)), so a pair
 * the graph left out still counts with its true similarity, and the rule is the one
 * {@link IncrementalAssigner} places new faces by. Deterministic: ties break by cluster index.
 * Chosen on LFW against DBSCAN and Chinese Whispers (docs/BENCHMARKS.md, clustering).
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
    Arrays.fill(head, -1);
    for (int i = 0; i < n; i++) {
      if (head[group[i]] < 0) {
        head[group[i]] = i;
      }
      parent[i] = head[group[i]];
    }
    int[] size = new int[n];
    boolean[] holdsLock = new boolean[n];
    int[] version = new int[n];
    float[][] sum = new float[n][]; // a cluster's sum of templates; a lone face's is its template (copied when it grows)
    boolean[] owned = new boolean[n];
    for (int i = 0; i < n; i++) {
      int a = parent[i];
      size[a]++;
      holdsLock[a] |= locked[group[i]];
      if (sum[a] == null) {
        sum[a] = g.template(i);
      } else {
        grow(sum, owned, a, g.template(i));
      }
    }
    @SuppressWarnings("unchecked")
    Set<Integer>[] adjacent = new Set[n]; // cluster -> clusters joined to it by at least one edge
    for (int i = 0; i < n; i++) {
      if (parent[i] == i) {
        adjacent[i] = new HashSet<>();
      }
    }
    for (int i = 0; i < n; i++) {
      int a = parent[i];
      for (int j : g.neighbours(i)) {
        int b = parent[j];
        if (a != b) {
          adjacent[a].add(b);
          adjacent[b].add(a);
        }
      }
    }
    PriorityQueue<double[]> queue = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Double.compare(y[0], x[0])
        : x[1] != y[1] ? Double.compare(x[1], y[1]) : Double.compare(x[2], y[2]));
    for (int a = 0; a < n; a++) {
      if (adjacent[a] == null) {
        continue;
      }
      for (int b : adjacent[a]) {
        if (b > a) {
          offer(queue, sum, size, holdsLock, version, a, b);
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
      grow(sum, owned, a, sum[b]);
      sum[b] = null;
      for (int other : adjacent[b]) {
        if (other != a) {
          adjacent[a].add(other);
          adjacent[other].remove(b);
          adjacent[other].add(a);
        }
      }
      adjacent[a].remove(b);
      adjacent[b] = null;
      size[a] += size[b];
      holdsLock[a] |= holdsLock[b];
      version[a]++;
      for (int other : adjacent[a]) {
        offer(queue, sum, size, holdsLock, version, Math.min(a, other), Math.max(a, other));
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

  /** Queues the pair (lo, hi) when its exact mean similarity reaches the threshold and it may merge. */
  private void offer(PriorityQueue<double[]> queue, float[][] sum, int[] size, boolean[] holdsLock, int[] version, int lo, int hi) {
    if (holdsLock[lo] && holdsLock[hi]) {
      return;
    }
    double mean = VectorUtil.dotProduct(sum[lo], sum[hi]) / ((double) size[lo] * size[hi]);
    if (mean >= threshold) {
      queue.add(new double[] {mean, lo, hi, version[lo], version[hi]});
    }
  }

  /** Adds {@code v} to cluster {@code a}'s sum, copying a borrowed template first. */
  private static void grow(float[][] sum, boolean[] owned, int a, float[] v) {
    if (!owned[a]) {
      sum[a] = sum[a].clone();
      owned[a] = true;
    }
    float[] s = sum[a];
    for (int d = 0; d < s.length; d++) {
      s[d] += v[d];
    }
  }
}
