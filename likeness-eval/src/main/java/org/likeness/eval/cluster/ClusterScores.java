package org.likeness.eval.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * How a clustering agrees with the true identities: pairwise precision and recall (over pairs of
 * faces put together / truly together) and BCubed precision and recall (per face: the share of
 * its cluster that is its person, and of its person that is in its cluster), each with F1.
 */
public record ClusterScores(int clusters, double pairwisePrecision, double pairwiseRecall, double bcubedPrecision,
    double bcubedRecall) {

  public double pairwiseF() {
    return f(pairwisePrecision, pairwiseRecall);
  }

  public double bcubedF() {
    return f(bcubedPrecision, bcubedRecall);
  }

  private static double f(double p, double r) {
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** Scores of {@code label} against {@code truth} (one int per face each). */
  public static ClusterScores of(int[] label, int[] truth) {
    Map<Integer, Integer> clusterSize = new HashMap<>(), classSize = new HashMap<>();
    Map<Long, Integer> both = new HashMap<>();
    for (int i = 0; i < label.length; i++) {
      clusterSize.merge(label[i], 1, Integer::sum);
      classSize.merge(truth[i], 1, Integer::sum);
      both.merge(((long) label[i] << 32) | (truth[i] & 0xffffffffL), 1, Integer::sum);
    }
    double tp = 0, predicted = 0, actual = 0;
    for (int c : both.values()) {
      tp += c * (c - 1) / 2.0;
    }
    for (int c : clusterSize.values()) {
      predicted += c * (c - 1) / 2.0;
    }
    for (int c : classSize.values()) {
      actual += c * (c - 1) / 2.0;
    }
    double bp = 0, br = 0;
    for (int i = 0; i < label.length; i++) {
      int common = both.get(((long) label[i] << 32) | (truth[i] & 0xffffffffL));
      bp += common / (double) clusterSize.get(label[i]);
      br += common / (double) classSize.get(truth[i]);
    }
    return new ClusterScores(clusterSize.size(), predicted == 0 ? 1 : tp / predicted, actual == 0 ? 1 : tp / actual,
        bp / label.length, br / label.length);
  }
}
