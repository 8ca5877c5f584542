package org.likeness.video;

import java.util.Locale;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;

/**
 * A stored sighting as a line an analyst reads: what it is (track or face), when (as
 * {@code 00:01:23.4}), who (a name with its score and FMR, or why nobody: the closest subject
 * against the threshold, and the face's quality reasons), and the reviewer's verdict.
 */
public final class SightingText {
  private SightingText() {}

  /** One indented line for sighting {@code g} of scan {@code s}. */
  public static String line(StoredScan s, StoredSighting g) {
    String what = (s.media().video() ? "track " : "face ") + g.number();
    String when = g.start() == null ? "" : "  " + Timecode.span(g.start(), g.end());
    return String.format(Locale.ROOT, "  %-9s%s  %s%s", what, when, who(g), verdict(g));
  }

  /** Who the sighting is: the decision explained, or "not identified" without a gallery. */
  public static String who(StoredSighting g) {
    return g.decisionJson() == null ? "not identified" : StoredDecision.read(g.decisionJson()).explain(g.qualityJson());
  }

  /** A short label to burn into video: the name and score, or "unknown (closest 0.31<0.42)". */
  public static String label(String decisionJson) {
    if (decisionJson == null) {
      return "";
    }
    StoredDecision d = StoredDecision.read(decisionJson);
    return d.shortLabel();
  }

  private static String verdict(StoredSighting g) {
    return g.verdict() == null ? "" : "  [" + g.verdict().verdict() + " " + g.verdict().subject() + " by " + g.verdict().by() + "]";
  }
}
