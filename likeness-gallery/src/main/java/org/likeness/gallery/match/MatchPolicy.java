package org.likeness.gallery.match;

import org.likeness.engine.verify.FmrTable;
import org.likeness.gallery.search.SearchMethod;

/**
 * How identification decides: search method, per-subject aggregation, the decision threshold,
 * and the pack's measured false-match rates (null when it has none) that turn scores into rates.
 */
public record MatchPolicy(SearchMethod method, Aggregation aggregation, double threshold, FmrTable calibration) {

  /** A policy whose threshold is the score at the target false-match rate per comparison, as measured. */
  public static MatchPolicy atFmr(double fmr, FmrTable calibration, SearchMethod method, Aggregation aggregation) {
    return new MatchPolicy(method, aggregation, calibration.thresholdFor(fmr), calibration);
  }
}
