package org.likeness.gallery.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which stored sightings a new pass over the same media finds again, so their ids (and with them
 * verdicts and cluster places) survive a re-scan: a new sighting is an old one when it has the same
 * number and the same face (best boxes overlapping, and in a video the time spans too), or else
 * when it is the same face under another number (the best-overlapping one still free). A pass with
 * the same pack and sampling finds the same sightings, so everything matches.
 */
final class SightingMatch {
  /** Least overlap (intersection over union) of the best boxes for two sightings to be one face. */
  static final double MIN_IOU = 0.3;

  private final Map<Integer, StoredSighting> earlierByNewNumber;
  private final Set<Long> kept;

  private SightingMatch(Map<Integer, StoredSighting> earlierByNewNumber) {
    this.earlierByNewNumber = earlierByNewNumber;
    this.kept = new HashSet<>();
    earlierByNewNumber.values().forEach(s -> kept.add(s.id()));
  }

  /** Matches the new pass's sightings to the stored ones. */
  static SightingMatch of(List<StoredSighting> before, List<StoredSighting.New> after) {
    Map<Integer, StoredSighting> byNumber = new HashMap<>();
    before.forEach(s -> byNumber.put(s.number(), s));
    Map<Integer, StoredSighting> out = new HashMap<>();
    Set<Long> taken = new HashSet<>();
    for (StoredSighting.New n : after) {
      StoredSighting same = byNumber.get(n.number());
      if (same != null && sameFace(same, n)) {
        out.put(n.number(), same);
        taken.add(same.id());
      }
    }
    for (StoredSighting.New n : after) {
      if (out.containsKey(n.number())) {
        continue;
      }
      StoredSighting best = null;
      double bestIou = MIN_IOU;
      for (StoredSighting s : before) {
        double iou = s.box().iou(n.box());
        if (!taken.contains(s.id()) && overlapInTime(s, n) && iou >= bestIou) {
          best = s;
          bestIou = iou;
        }
      }
      if (best != null) {
        out.put(n.number(), best);
        taken.add(best.id());
      }
    }
    return new SightingMatch(out);
  }

  private static boolean sameFace(StoredSighting s, StoredSighting.New n) {
    return s.box().iou(n.box()) >= MIN_IOU && overlapInTime(s, n);
  }

  private static boolean overlapInTime(StoredSighting s, StoredSighting.New n) {
    if (s.start() == null || n.start() == null) {
      return s.start() == null && n.start() == null; // two photo faces, or two tracks
    }
    return s.start() <= n.end() && n.start() <= s.end();
  }

  /** The stored sighting the new sighting with this number is, or null (a face not seen before). */
  StoredSighting earlier(int newNumber) {
    return earlierByNewNumber.get(newNumber);
  }

  /** Whether the stored sighting with this id was found again. */
  boolean kept(long id) {
    return kept.contains(id);
  }
}
