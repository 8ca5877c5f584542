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
 * @param carried null, or where a decision this probe did not reach on its own came from: a track of
 *     the same video linked to it as the same person (then {@code decision} and {@code fpir} are that track's)
 * @param smallFace the probe's face width and the frames it was seen in when it was decided as a
 *     small face (its template mapped; its scores, threshold and rates those of the small-face
 *     calibration, of tracks for several frames where the pack has one), else null
 */
public record Identification(List<Candidate> candidates, Candidate decision, double threshold, Double fpir, long templates,
    List<Candidate> ambiguous, Carried carried, org.likeness.engine.verify.FaceSize smallFace) {

  /** A name taken from a linked track: its number, and the similarity of the two tracks' templates. */
  public record Carried(int from, double link) {}

  public Identification {
    candidates = List.copyOf(candidates);
    ambiguous = List.copyOf(ambiguous);
  }

  /** An identification the probe reached on its own. */
  public Identification(List<Candidate> candidates, Candidate decision, double threshold, Double fpir, long templates,
      List<Candidate> ambiguous) {
    this(candidates, decision, threshold, fpir, templates, ambiguous, null, null);
  }

  /** This identification, made of a small face of {@code size} (null: an ordinary one). */
  public Identification asSmallFace(org.likeness.engine.verify.FaceSize size) {
    return new Identification(candidates, decision, threshold, fpir, templates, ambiguous, carried, size);
  }

  /** An identification without the gallery's figures (tests, decisions rebuilt from storage). */
  public Identification(List<Candidate> candidates, Candidate decision) {
    this(candidates, decision, Double.NaN, null, 0, List.of());
  }

  /** This probe's own candidates with the decision of {@code carrier}, track {@code from}, linked at {@code link}. */
  public Identification carriedFrom(Identification carrier, int from, double link) {
    return new Identification(candidates, carrier.decision(), threshold, carrier.fpir(), templates, List.of(), new Carried(from, link),
        smallFace);
  }

  /** Whether nobody in the gallery cleared the threshold. */
  public boolean unknown() {
    return decision == null;
  }
}
