package org.likeness.gallery.match;

import java.util.List;

/**
 * Ranked candidates for one probe face and the decision: the top candidate if it clears the
 * threshold, else null (unknown).
 *
 * @param threshold the threshold the decision was made at (the gallery's own under an FPIR rule)
 * @param fpir the FPIR the decision's score (or, when unknown, the best candidate's) stands for in
 *     this gallery; null without a calibration or a candidate
 * @param templates the gallery's size in templates when it decided
 * @param ambiguous the two subjects too close to tell apart when the top one cleared the threshold
 *     (then there is no decision), else empty
 */
public record Identification(List<Candidate> candidates, Candidate decision, double threshold, Double fpir, long templates,
    List<Candidate> ambiguous) {

  public Identification {
    candidates = List.copyOf(candidates);
    ambiguous = List.copyOf(ambiguous);
  }

  /** An identification without the gallery's figures (tests, decisions rebuilt from storage). */
  public Identification(List<Candidate> candidates, Candidate decision) {
    this(candidates, decision, Double.NaN, null, 0, List.of());
  }

  /** Whether nobody in the gallery cleared the threshold. */
  public boolean unknown() {
    return decision == null;
  }
}
