package org.likeness.gallery.match;

import org.likeness.engine.verify.ImpostorModel;
import org.likeness.gallery.search.SearchMethod;

/**
 * How identification decides: search method, per-subject aggregation, the decision threshold,
 * and the impostor model that turns scores into false-match rates.
 */
public record MatchPolicy(SearchMethod method, Aggregation aggregation, double threshold, ImpostorModel impostors) {

  /** A policy whose threshold is the score at the target false-match rate per comparison. */
  public static MatchPolicy atFmr(double fmr, ImpostorModel impostors, SearchMethod method, Aggregation aggregation) {
    return new MatchPolicy(method, aggregation, impostors.thresholdFor(fmr), impostors);
  }
}
