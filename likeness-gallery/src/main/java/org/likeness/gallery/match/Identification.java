package org.likeness.gallery.match;

import java.util.List;

/** Ranked candidates for one probe face and the decision: the top candidate if it clears the threshold, else null (unknown). */
public record Identification(List<Candidate> candidates, Candidate decision) {

  public Identification {
    candidates = List.copyOf(candidates);
  }

  /** Whether nobody in the gallery cleared the threshold. */
  public boolean unknown() {
    return decision == null;
  }
}
