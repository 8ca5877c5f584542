package org.likeness.gallery.match;

import org.likeness.engine.verify.FmrTable;

/**
 * Open-set decisions by false-positive identification rate: "a stranger is named at most this
 * often per probe", whatever the gallery's size. A stranger searched against a gallery of
 * {@code n} templates is compared {@code n} times; if each comparison is a false match with the
 * pack's measured rate f(t) at threshold t, and independently, the chance that at least one
 * clears t is 1 - (1 - f(t))^n. The rule solves that for t: per-comparison rate
 * 1 - (1 - fpir)^(1/n), read on the pack's calibration (extrapolated along its last measured
 * decade below what it resolves). Comparisons with one subject's several templates are not
 * independent, so the rule errs on the side of naming fewer strangers; the measured FPIR at
 * several gallery sizes is in docs/BENCHMARKS.md ("Open-set decisions").
 */
public record FpirRule(double fpir) {
  /** The default target: one stranger in a hundred named (per face or track searched). */
  public static final double DEFAULT = 0.01;

  /** Refuses a rate outside (0, 1). */
  public FpirRule {
    if (!(fpir > 0 && fpir < 1)) {
      throw new IllegalArgumentException("an FPIR is a rate between 0 and 1 (exclusive), not " + fpir);
    }
  }

  /** The per-comparison false-match rate that gives this FPIR over {@code comparisons} independent comparisons. */
  public double perComparison(long comparisons) {
    return -Math.expm1(Math.log1p(-fpir) / Math.max(1, comparisons));
  }

  /** The similarity threshold for a gallery of {@code comparisons} templates, on {@code calibration}'s scale. */
  public double threshold(FmrTable calibration, long comparisons) {
    return calibration.tailThresholdFor(perComparison(comparisons));
  }

  /** The FPIR a decision at {@code score} stands for in a gallery of {@code comparisons} templates. */
  public static double fpirAt(FmrTable calibration, double score, long comparisons) {
    double f = calibration.tailRateAt(score);
    return -Math.expm1(Math.max(1, comparisons) * Math.log1p(-Math.min(f, 1 - 1e-12)));
  }
}
