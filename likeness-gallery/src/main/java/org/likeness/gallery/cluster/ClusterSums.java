package org.likeness.gallery.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each cluster's sum of unit templates and its size, which give exact average-linkage means
 * without touching the members: mean(face . member) = face . sum / size, and between two clusters
 * sumA . sumB / (|A| |B|). Shared by placement ({@link IncrementalAssigner}) and suggestions.
 */
final class ClusterSums {
  private final int dimension;
  private final Map<Long, double[]> sums = new LinkedHashMap<>();
  private final Map<Long, Integer> sizes = new HashMap<>();

  /** Empty, for templates of {@code dimension} values. */
  ClusterSums(int dimension) {
    this.dimension = dimension;
  }

  /** Adds a member's unit template to {@code cluster}. */
  void add(long cluster, float[] template) {
    double[] sum = sums.computeIfAbsent(cluster, c -> new double[dimension]);
    for (int i = 0; i < dimension; i++) {
      sum[i] += template[i];
    }
    sizes.merge(cluster, 1, Integer::sum);
  }

  /** The clusters, in the order first seen. */
  List<Long> clusters() {
    return new ArrayList<>(sums.keySet());
  }

  /** Whether {@code cluster} has members here. */
  boolean contains(long cluster) {
    return sums.containsKey(cluster);
  }

  /** Mean similarity of {@code template} to every member of {@code cluster}. */
  double mean(long cluster, float[] template) {
    double[] sum = sums.get(cluster);
    double dot = 0;
    for (int i = 0; i < dimension; i++) {
      dot += template[i] * sum[i];
    }
    return dot / sizes.get(cluster);
  }

  /** Mean similarity over every cross pair of clusters {@code a} and {@code b}. */
  double mean(long a, long b) {
    double[] x = sums.get(a), y = sums.get(b);
    double dot = 0;
    for (int i = 0; i < dimension; i++) {
      dot += x[i] * y[i];
    }
    return dot / ((double) sizes.get(a) * sizes.get(b));
  }

  /** The unit direction of {@code cluster}'s members (their centroid, normalised). */
  float[] centroid(long cluster) {
    double[] sum = sums.get(cluster);
    double n = 0;
    for (double v : sum) {
      n += v * v;
    }
    n = Math.sqrt(n);
    float[] out = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      out[i] = (float) (sum[i] / (n == 0 ? 1 : n));
    }
    return out;
  }
}
