package org.likeness.eval.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Verification figures from genuine (same person) and impostor (different people) similarity
 * scores: ROC, AUC, EER, TAR at fixed FAR, accuracy at a threshold, and k-fold accuracy with the
 * threshold chosen on the other folds (the LFW protocol).
 */
public final class VerificationMetrics {
  private final double[] scores;
  private final boolean[] same;
  private final int positives;
  private final int negatives;

  public VerificationMetrics(double[] scores, boolean[] same) {
    if (scores.length != same.length) {
      throw new IllegalArgumentException("scores and labels differ in length");
    }
    this.scores = scores.clone();
    this.same = same.clone();
    int p = 0;
    for (boolean s : same) {
      p += s ? 1 : 0;
    }
    this.positives = p;
    this.negatives = same.length - p;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException("need both genuine and impostor pairs (got " + p + " and " + negatives + ")");
    }
  }

  public int positives() {
    return positives;
  }

  public int negatives() {
    return negatives;
  }

  /** ROC points from the strictest threshold to the loosest, one per distinct score, starting at (0, 0). */
  public List<RocPoint> roc() {
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    List<RocPoint> pts = new ArrayList<>();
    pts.add(new RocPoint(Double.POSITIVE_INFINITY, 0, 0));
    int tp = 0, fp = 0;
    for (int k = 0; k < idx.length; k++) {
      int i = idx[k];
      if (same[i]) {
        tp++;
      } else {
        fp++;
      }
      if (k + 1 < idx.length && scores[idx[k + 1]] == scores[i]) {
        continue; // ties share one threshold
      }
      pts.add(new RocPoint(scores[i], (double) fp / negatives, (double) tp / positives));
    }
    return pts;
  }

  /** Area under the ROC curve (trapezoids). */
  public double auc() {
    List<RocPoint> r = roc();
    double a = 0;
    for (int i = 1; i < r.size(); i++) {
      a += (r.get(i).far() - r.get(i - 1).far()) * (r.get(i).tar() + r.get(i - 1).tar()) / 2;
    }
    return a;
  }

  /** Highest TAR with FAR <= {@code far}. */
  public double tarAtFar(double far) {
    double best = 0;
    for (RocPoint p : roc()) {
      if (p.far() <= far) {
        best = Math.max(best, p.tar());
      }
    }
    return best;
  }

  /** The strictest-to-loosest point where FAR reaches FRR; EER is interpolated between the two neighbours. */
  public double eer() {
    List<RocPoint> r = roc();
    for (int i = 1; i < r.size(); i++) {
      RocPoint a = r.get(i - 1), b = r.get(i);
      double da = a.far() - (1 - a.tar()), db = b.far() - (1 - b.tar());
      if (da <= 0 && db >= 0) {
        double t = db == da ? 0 : -da / (db - da);
        return a.far() + t * (b.far() - a.far());
      }
    }
    return 0.5;
  }

  /** Fraction of pairs decided correctly at {@code threshold}. */
  public double accuracy(double threshold) {
    return accuracy(threshold, null, -1);
  }

  /** Accuracy at the best single threshold on all pairs (optimistic: chosen on the test data). */
  public double[] bestThreshold() {
    return bestThreshold(null, -1);
  }

  /**
   * k-fold accuracy: for each fold the threshold maximising accuracy on the other folds is applied to
   * it. Returns {mean, standard deviation}.
   */
  public double[] kFoldAccuracy(int[] fold, int k) {
    double[] acc = new double[k];
    for (int f = 0; f < k; f++) {
      double t = bestThreshold(fold, f)[0];
      acc[f] = accuracyIn(t, fold, f);
    }
    double mean = Arrays.stream(acc).average().orElse(0);
    double var = Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / k;
    return new double[] {mean, Math.sqrt(var)};
  }

  /**
   * {threshold, accuracy} maximising accuracy over pairs not in {@code excludeFold}. Where a range of
   * thresholds ties, its middle is taken: the margin on both sides generalises better than an edge.
   */
  private double[] bestThreshold(int[] fold, int excludeFold) {
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    double[] cand = new double[sorted.length + 1];
    cand[0] = sorted[0] - 1e-6;
    for (int i = 1; i < sorted.length; i++) {
      cand[i] = (sorted[i - 1] + sorted[i]) / 2;
    }
    cand[sorted.length] = sorted[sorted.length - 1] + 1e-6;
    double bestA = -1;
    int lo = 0, hi = 0;
    for (int i = 0; i < cand.length; i++) {
      double a = accuracy(cand[i], fold, excludeFold);
      if (a > bestA) {
        bestA = a;
        lo = hi = i;
      } else if (a == bestA && hi == i - 1) {
        hi = i; // extend the first contiguous run of best thresholds
      }
    }
    double mid = (cand[lo] + cand[hi]) / 2;
    return accuracy(mid, fold, excludeFold) == bestA ? new double[] {mid, bestA} : new double[] {cand[lo], bestA};
  }

  private double accuracy(double t, int[] fold, int excludeFold) {
    int ok = 0, n = 0;
    for (int i = 0; i < scores.length; i++) {
      if (fold != null && fold[i] == excludeFold) {
        continue;
      }
      n++;
      ok += (scores[i] >= t) == same[i] ? 1 : 0;
    }
    return n == 0 ? 0 : (double) ok / n;
  }

  private double accuracyIn(double t, int[] fold, int onlyFold) {
    int ok = 0, n = 0;
    for (int i = 0; i < scores.length; i++) {
      if (fold[i] != onlyFold) {
        continue;
      }
      n++;
      ok += (scores[i] >= t) == same[i] ? 1 : 0;
    }
    return n == 0 ? 0 : (double) ok / n;
  }

  /** Fraction of impostor pairs accepted at {@code threshold} (the measured false-match rate). */
  public double falseMatchRate(double threshold) {
    int fp = 0;
    for (int i = 0; i < scores.length; i++) {
      fp += !same[i] && scores[i] >= threshold ? 1 : 0;
    }
    return (double) fp / negatives;
  }

  /** Fraction of genuine pairs rejected at {@code threshold} (the measured false non-match rate). */
  public double falseNonMatchRate(double threshold) {
    int fn = 0;
    for (int i = 0; i < scores.length; i++) {
      fn += same[i] && scores[i] < threshold ? 1 : 0;
    }
    return (double) fn / positives;
  }

  /** {mean, standard deviation} of the impostor scores. */
  public double[] impostorMeanStd() {
    double sum = 0, sq = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!same[i]) {
        sum += scores[i];
        sq += scores[i] * scores[i];
      }
    }
    double mean = sum / negatives;
    return new double[] {mean, Math.sqrt(Math.max(0, sq / negatives - mean * mean))};
  }

  /** Largest impostor score. */
  public double maxImpostor() {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < scores.length; i++) {
      if (!same[i]) {
        m = Math.max(m, scores[i]);
      }
    }
    return m;
  }

  /** Smallest genuine score. */
  public double minGenuine() {
    double m = Double.POSITIVE_INFINITY;
    for (int i = 0; i < scores.length; i++) {
      if (same[i]) {
        m = Math.min(m, scores[i]);
      }
    }
    return m;
  }
}
