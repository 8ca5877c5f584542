package org.likeness.gallery.match;

import org.likeness.engine.verify.FmrTable;
import org.likeness.gallery.search.SearchMethod;

/**
 * How identification decides: search method, per-subject aggregation, the decision threshold,
 * and the pack's measured false-match rates (null when it has none) that turn scores into rates.
 * With an {@code fpir} target the threshold is the gallery's own: the one at which a stranger is
 * named at that rate per probe given the gallery's size ({@link FpirRule}), never below
 * {@code threshold} (the floor: the pack's per-comparison default, which a gallery of a handful of
 * templates would otherwise go under).
 */
public record MatchPolicy(SearchMethod method, Aggregation aggregation, double threshold, FmrTable calibration, Double fpir) {

  /** A policy at a fixed threshold (no FPIR target). */
  public MatchPolicy(SearchMethod method, Aggregation aggregation, double threshold, FmrTable calibration) {
    this(method, aggregation, threshold, calibration, null);
  }

  /** A policy whose threshold is the score at the target false-match rate per comparison, as measured. */
  public static MatchPolicy atFmr(double fmr, FmrTable calibration, SearchMethod method, Aggregation aggregation) {
    return new MatchPolicy(method, aggregation, calibration.thresholdFor(fmr), calibration);
  }

  /** A policy for a target FPIR, with {@code floor} the least threshold (the pack's default). */
  public static MatchPolicy atFpir(double fpir, FmrTable calibration, double floor, SearchMethod method, Aggregation aggregation) {
    new FpirRule(fpir); // checks the rate
    return new MatchPolicy(method, aggregation, floor, calibration, fpir);
  }

  /**
   * Under an FPIR rule a name is given only when the runner-up (another subject) reads at least
   * this many decades of false-match rate below it; closer, the answer is "ambiguous" with both as
   * candidates. One decade removed about 40 % of the rare misnames left among 58k templates and cost
   * 0.06 % of right names on LFW (docs/BENCHMARKS.md, "Ambiguity").
   */
  public static final double AMBIGUITY_DECADES = 1.0;

  /** Whether {@code second} is too close to {@code top} to name the top candidate (FPIR rules only). */
  public boolean ambiguous(double top, double second) {
    if (fpir == null || calibration == null) {
      return false;
    }
    return Math.log10(calibration.tailRateAt(second) / calibration.tailRateAt(top)) < AMBIGUITY_DECADES;
  }

  /** The threshold in a gallery of {@code templates} templates. */
  public double thresholdFor(long templates) {
    if (fpir == null || calibration == null) {
      return threshold;
    }
    return Math.max(threshold, new FpirRule(fpir).threshold(calibration, templates));
  }

  /** The FPIR a decision at {@code score} stands for in a gallery of {@code templates} templates, or null without a calibration. */
  public Double fpirAt(double score, long templates) {
    return calibration == null ? null : FpirRule.fpirAt(calibration, score, templates);
  }
}
