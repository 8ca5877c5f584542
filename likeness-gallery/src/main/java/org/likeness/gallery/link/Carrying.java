package org.likeness.gallery.link;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;
import org.likeness.gallery.match.Identification;

/**
 * Carries a name along the links between one video's tracks: in a group of linked tracks where
 * every track named on its own names the same subject, each track that named nobody takes that
 * name, marked with the track it came from (the named one most like it), if its own evidence does
 * not speak against it: the subject must be among its own candidates with a score the calibration
 * puts at a false-match rate of at most {@link #AGREEMENT_FMR} (a second line of evidence beside
 * the link, which a stranger linked by mistake passes one time in ten). A group whose tracks name
 * two subjects carries nothing (the link is in doubt), an ambiguous track keeps its answer, and a
 * track whose name a reviewer rejected carries it to no other.
 */
public final class Carrying {
  /** The false-match rate a receiving track's own score for the carried subject must be within. */
  public static final double AGREEMENT_FMR = 0.1;

  private final double agreement;

  /** Carries to tracks whose own score for the subject is at least {@code agreement} (negative infinity: no check). */
  public Carrying(double agreement) {
    this.agreement = agreement;
  }

  /** The rule for a pack's calibration: its similarity at {@link #AGREEMENT_FMR}; without one, no check. */
  public static Carrying forCalibration(org.likeness.engine.verify.FmrTable calibration) {
    return new Carrying(calibration == null ? Double.NEGATIVE_INFINITY : calibration.thresholdFor(AGREEMENT_FMR));
  }

  /**
   * The identifications with names carried.
   *
   * @param link each track's link label ({@code null} or equal labels: one group; see {@link TrackLinker#link})
   * @param numbers each track's number (what {@code carriedFrom} says)
   * @param templates each track's template
   * @param own each track's identification on its own
   */
  public List<Identification> carry(List<Integer> link, List<Integer> numbers, List<float[]> templates, List<Identification> own) {
    return carry(link, numbers, templates, own, java.util.Collections.nCopies(own.size(), false));
  }

  /** As {@link #carry(List, List, List, List)}; {@code rejected}: whether a reviewer rejected each track's name (it carries nothing). */
  public List<Identification> carry(List<Integer> link, List<Integer> numbers, List<float[]> templates, List<Identification> own,
      List<Boolean> rejected) {
    int n = own.size();
    List<Identification> out = new ArrayList<>(own);
    boolean[] done = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (done[i] || link.get(i) == null) {
        continue;
      }
      List<Integer> members = new ArrayList<>();
      for (int j = i; j < n; j++) {
        if (link.get(i).equals(link.get(j))) {
          members.add(j);
          done[j] = true;
        }
      }
      Set<String> names = new HashSet<>();
      List<Integer> named = new ArrayList<>();
      for (int m : members) {
        if (own.get(m).decision() != null && !rejected.get(m)) {
          names.add(own.get(m).decision().subject());
          named.add(m);
        }
      }
      if (names.size() != 1) {
        continue;
      }
      String subject = names.iterator().next();
      for (int m : members) {
        Identification id = own.get(m);
        if (id.decision() != null || !id.ambiguous().isEmpty()
            || id.candidates().stream().noneMatch(c -> c.subject().equals(subject) && agrees(id, c))) {
          continue;
        }
        int carrier = -1;
        double best = Double.NEGATIVE_INFINITY;
        for (int c : named) {
          double s = VectorUtil.dotProduct(templates.get(m), templates.get(c));
          if (s > best) {
            best = s;
            carrier = c;
          }
        }
        out.set(m, id.carriedFrom(own.get(carrier), numbers.get(carrier), best));
      }
    }
    return out;
  }

  /** Link labels for stored rows from {@link TrackLinker#link}: the group's first track's number, or null for a track linked to none. */
  public static List<Integer> labels(int[] group, List<Integer> numbers) {
    int[] size = new int[group.length];
    for (int g : group) {
      size[g]++;
    }
    List<Integer> out = new ArrayList<>(group.length);
    for (int i = 0; i < group.length; i++) {
      out.add(size[group[i]] > 1 ? numbers.get(group[i]) : null);
    }
    return out;
  }

  /**
   * Whether a receiving track's own candidate scores within the agreement rate: on the score line
   * of the pack's calibration, or, for a small face (scored mapped, on the small-face calibration),
   * by the rate its candidate carries.
   */
  private boolean agrees(Identification id, org.likeness.gallery.match.Candidate c) {
    if (id.smallFace() != null && c.fmr() != null && agreement != Double.NEGATIVE_INFINITY) {
      return c.fmr().rate() <= AGREEMENT_FMR;
    }
    return c.score() >= agreement;
  }
}
