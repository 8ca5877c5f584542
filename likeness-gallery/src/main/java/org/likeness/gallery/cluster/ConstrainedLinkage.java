package org.likeness.gallery.cluster;

import java.util.Arrays;
import java.util.PriorityQueue;
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
    // Each cluster's list of adjacent faces' clusters, in primitive arrays and allowed to go stale: an entry may name a
    // cluster merged away since, and is resolved to its root when read (lists are compacted then). Nothing else is updated
    // on a merge, so the adjacency costs ints, not boxed sets.
    int[][] adjacent = new int[n][];
    int[] degree = new int[n];
    for (int i = 0; i < n; i++) {
      int a = parent[i];
      int[] nb = g.neighbours(i);
      if (adjacent[a] == null) {
        adjacent[a] = new int[Math.max(4, nb.length)];
      }
      for (int j : nb) {
        int b = parent[j];
        if (b != a) {
          adjacent[a] = append(adjacent[a], degree[a]++, b);
        }
      }
    }
    int[] stamp = new int[n]; // when a root was last seen while resolving a list: dedupes without a set
    int clock = 0;
    PriorityQueue<double[]> queue = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Double.compare(y[0], x[0])
        : x[1] != y[1] ? Double.compare(x[1], y[1]) : Double.compare(x[2], y[2]));
    for (int a = 0; a < n; a++) {
      if (parent[a] == a) {
        degree[a] = resolve(adjacent[a], degree[a], a, parent, stamp, ++clock);
        for (int t = 0; t < degree[a]; t++) {
          int b = adjacent[a][t];
          if (b > a) {
            offer(queue, sum, size, holdsLock, version, a, b);
          }
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
      for (int t = 0; t < degree[b]; t++) {
        adjacent[a] = append(adjacent[a], degree[a]++, adjacent[b][t]);
      }
      adjacent[b] = null;
      degree[b] = 0;
      size[a] += size[b];
      holdsLock[a] |= holdsLock[b];
      version[a]++;
      degree[a] = resolve(adjacent[a], degree[a], a, parent, stamp, ++clock);
      for (int t = 0; t < degree[a]; t++) {
        int other = adjacent[a][t];
        offer(queue, sum, size, holdsLock, version, Math.min(a, other), Math.max(a, other));
      }
    }
    int[] label = new int[n];
    for (int i = 0; i < n; i++) {
      label[i] = root(parent, i);
    }
    return label;
  }

  /** The root of {@code i}'s cluster, compressing the path on the way. */
  private static int root(int[] parent, int i) {
    int r = i;
    while (parent[r] != r) {
      r = parent[r];
    }
    while (parent[i] != r) {
      int next = parent[i];
      parent[i] = r;
      i = next;
    }
    return r;
  }

  /** Rewrites the first {@code count} entries of {@code list} as the distinct current roots other than {@code self}; the new count. */
  private static int resolve(int[] list, int count, int self, int[] parent, int[] stamp, int now) {
    if (list == null) {
      return 0;
    }
    int u = 0;
    for (int t = 0; t < count; t++) {
      int r = root(parent, list[t]);
      if (r != self && stamp[r] != now) {
        stamp[r] = now;
        list[u++] = r;
      }
    }
    return u;
  }

  private static int[] append(int[] list, int at, int value) {
    if (list == null) {
      list = new int[4];
    }
    if (at == list.length) {
      list = Arrays.copyOf(list, list.length * 2);
    }
    list[at] = value;
    return list;
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
