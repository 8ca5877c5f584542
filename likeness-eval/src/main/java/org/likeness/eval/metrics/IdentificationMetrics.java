package org.likeness.eval.metrics;

import java.util.Arrays;

/**
 * Open-set identification figures (NIST FRVT 1:N style). A mated search has its subject in the
 * gallery: {@code matedRank} is that subject's rank (1 = top, 0 = not returned) and
 * {@code matedScore} its score. A non-mated search has not: {@code nonMatedTop} is its best score.
 */
public final class IdentificationMetrics {
  private final int[] matedRank;
  private final double[] matedScore;
  private final double[] nonMatedTop;

  public IdentificationMetrics(int[] matedRank, double[] matedScore, double[] nonMatedTop) {
    if (matedRank.length != matedScore.length) {
      throw new IllegalArgumentException("ranks and scores differ in length");
    }
    this.matedRank = matedRank.clone();
    this.matedScore = matedScore.clone();
    this.nonMatedTop = nonMatedTop.clone();
  }

  public int mated() {
    return matedRank.length;
  }

  public int nonMated() {
    return nonMatedTop.length;
  }

  /** Fraction of mated searches with the right subject within rank k (closed-set, no threshold). */
  public double cmc(int k) {
    if (matedRank.length == 0) {
      return 0;
    }
    return Arrays.stream(matedRank).filter(r -> r >= 1 && r <= k).count() / (double) matedRank.length;
  }

  /** Rank-1 identification rate. */
  public double rank1() {
    return cmc(1);
  }

  /** False positive identification rate: non-mated searches whose top score reaches t. */
  public double fpir(double t) {
    return nonMatedTop.length == 0 ? 0 : Arrays.stream(nonMatedTop).filter(s -> s >= t).count() / (double) nonMatedTop.length;
  }

  /** False negative identification rate: mated searches not answered with the right subject at rank 1 with score >= t. */
  public double fnir(double t) {
    if (matedRank.length == 0) {
      return 0;
    }
    int miss = 0;
    for (int i = 0; i < matedRank.length; i++) {
      miss += matedRank[i] == 1 && matedScore[i] >= t ? 0 : 1;
    }
    return miss / (double) matedRank.length;
  }

  /** {threshold, FNIR} at the lowest threshold whose FPIR is at most {@code target}. */
  public double[] fnirAtFpir(double target) {
    double[] cand = new double[nonMatedTop.length + matedScore.length + 1];
    System.arraycopy(nonMatedTop, 0, cand, 0, nonMatedTop.length);
    System.arraycopy(matedScore, 0, cand, nonMatedTop.length, matedScore.length);
    double max = Arrays.stream(nonMatedTop).max().orElse(-1);
    cand[cand.length - 1] = Math.nextUp(max);
    Arrays.sort(cand);
    for (double t : cand) {
      if (fpir(t) <= target) {
        return new double[] {t, fnir(t)};
      }
    }
    return new double[] {Math.nextUp(max), fnir(Math.nextUp(max))};
  }
}
