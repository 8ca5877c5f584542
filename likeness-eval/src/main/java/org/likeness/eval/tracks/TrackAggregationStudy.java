package org.likeness.eval.tracks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.VectorUtil;
import org.likeness.engine.model.EmbeddingLayout;
import org.likeness.eval.calibrate.EmbeddedSet;
import org.likeness.eval.calibrate.SamePersonList;

/**
 * Compares ways of identifying a track (several faces of one person) against a gallery, on
 * pseudo-tracks built from a labelled photo set such as LFW: every identity with at least
 * {@code 1 + trackLength} photos is either enrolled (its first photo) with its next photos as a
 * mated track, or held out with its photos as a non-mated track (alternately, in name order);
 * every identity with fewer photos is enrolled as a distractor with its first photo. At one
 * decision threshold each rule gives the share of mated tracks named right (TPIR) and of
 * non-mated tracks named at all (FPIR). A gallery subject whose photo a same-person list declares
 * one person with a photo of the track (a labelling error of the set, such as one person filed
 * under two names) is left out of that track's candidates, as {@code eval identify} does.
 */
public final class TrackAggregationStudy {
  /** How a track's faces become one decision. */
  public enum Rule {
    /** The mean of the faces' embeddings, searched once. */
    MEAN_TEMPLATE,
    /** Every face searched; the single best score over all faces decides. */
    MAX_SCORE,
    /** Every face searched; the subject most faces name above the threshold, if at least half do. */
    MAJORITY_VOTE,
    /** Every face searched; per subject the mean of its scores over the faces, the best subject decides. */
    MEAN_SCORE
  }

  /** Results of one rule: mated tracks named right, non-mated tracks named at all. */
  public record Outcome(Rule rule, int mated, double tpir, int nonMated, double fpir) {}

  private final EmbeddedSet set;
  private final EmbeddingLayout layout;
  private final int trackLength;
  private final SamePersonList.Pairs samePerson;

  /**
   * A study of {@code set}, whose embeddings are laid out as {@code layout} says (mean templates are
   * made part by part, as a video scan makes them); {@code samePerson}: the set's photo pairs declared
   * one person (none: {@code SamePersonList.none().pairsIn(set)}).
   */
  public TrackAggregationStudy(EmbeddedSet set, EmbeddingLayout layout, int trackLength, SamePersonList.Pairs samePerson) {
    this.set = set;
    this.layout = layout;
    this.trackLength = trackLength;
    this.samePerson = samePerson;
  }

  /** Runs every rule at {@code threshold}; also returns the gallery size and the candidates left out in {@code info}. */
  public List<Outcome> run(double threshold, Map<String, Object> info) {
    Map<Integer, List<Integer>> byId = new LinkedHashMap<>();
    for (int i = 0; i < set.paths().size(); i++) {
      byId.computeIfAbsent(set.identity()[i], k -> new ArrayList<>()).add(i);
    }
    List<Integer> gallery = new ArrayList<>(); // photo indexes
    List<Integer> galleryId = new ArrayList<>();
    List<int[]> mated = new ArrayList<>(), nonMated = new ArrayList<>();
    List<Integer> matedId = new ArrayList<>();
    boolean enrolNext = true;
    for (var e : byId.entrySet()) {
      List<Integer> photos = e.getValue();
      if (photos.size() >= 1 + trackLength) {
        if (enrolNext) {
          gallery.add(photos.get(0));
          galleryId.add(e.getKey());
          mated.add(photos.subList(1, 1 + trackLength).stream().mapToInt(Integer::intValue).toArray());
          matedId.add(e.getKey());
        } else {
          nonMated.add(photos.subList(0, trackLength).stream().mapToInt(Integer::intValue).toArray());
        }
        enrolNext = !enrolNext;
      } else {
        gallery.add(photos.get(0));
        galleryId.add(e.getKey());
      }
    }
    info.put("gallerySubjects", gallery.size());
    info.put("matedTracks", mated.size());
    info.put("nonMatedTracks", nonMated.size());
    info.put("trackLength", trackLength);
    List<boolean[]> matedOut = new ArrayList<>(), nonMatedOut = new ArrayList<>();
    int leftOut = 0;
    for (int[] track : mated) {
      matedOut.add(leftOut(track, gallery));
      leftOut += count(matedOut.getLast());
    }
    for (int[] track : nonMated) {
      nonMatedOut.add(leftOut(track, gallery));
      leftOut += count(nonMatedOut.getLast());
    }
    info.put("samePersonCandidatesLeftOut", leftOut);
    List<Outcome> out = new ArrayList<>();
    for (Rule rule : Rule.values()) {
      int right = 0, falseNamed = 0;
      for (int t = 0; t < mated.size(); t++) {
        Integer named = decide(rule, mated.get(t), matedOut.get(t), gallery, galleryId, threshold);
        right += named != null && named.equals(matedId.get(t)) ? 1 : 0;
      }
      for (int t = 0; t < nonMated.size(); t++) {
        falseNamed += decide(rule, nonMated.get(t), nonMatedOut.get(t), gallery, galleryId, threshold) != null ? 1 : 0;
      }
      out.add(new Outcome(rule, mated.size(), right / (double) mated.size(), nonMated.size(), falseNamed / (double) nonMated.size()));
    }
    return out;
  }

  /** The gallery entries declared one person with some photo of the track. */
  private boolean[] leftOut(int[] track, List<Integer> gallery) {
    boolean[] out = new boolean[gallery.size()];
    for (int g = 0; g < out.length; g++) {
      for (int i : track) {
        out[g] |= samePerson.contains(i, gallery.get(g));
      }
    }
    return out;
  }

  private static int count(boolean[] flags) {
    int n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    return n;
  }

  /** The identity a rule names for a track, or null (unknown); entries flagged in {@code out} are no candidates. */
  private Integer decide(Rule rule, int[] track, boolean[] out, List<Integer> gallery, List<Integer> ids, double threshold) {
    float[][] e = set.embeddings();
    if (rule == Rule.MEAN_TEMPLATE) {
      double[] sum = new double[e[track[0]].length];
      for (int i : track) {
        for (int d = 0; d < sum.length; d++) {
          sum[d] += e[i][d];
        }
      }
      float[] mean = layout.template(sum);
      int best = -1;
      float bs = -2;
      for (int g = 0; g < gallery.size(); g++) {
        float s = out[g] ? -2 : VectorUtil.dotProduct(mean, e[gallery.get(g)]);
        if (s > bs) {
          bs = s;
          best = g;
        }
      }
      return best >= 0 && bs >= threshold ? ids.get(best) : null;
    }
    double[] sum = new double[gallery.size()];
    double top = -2;
    int topSubject = -1;
    Map<Integer, Integer> votes = new LinkedHashMap<>();
    for (int i : track) {
      int best = -1;
      double bs = -2;
      for (int g = 0; g < gallery.size(); g++) {
        double s = out[g] ? -2 : VectorUtil.dotProduct(e[i], e[gallery.get(g)]);
        sum[g] += s;
        if (s > bs) {
          bs = s;
          best = g;
        }
      }
      if (bs > top) {
        top = bs;
        topSubject = best;
      }
      if (bs >= threshold) {
        votes.merge(best, 1, Integer::sum);
      }
    }
    switch (rule) {
      case MAX_SCORE -> {
        return top >= threshold ? ids.get(topSubject) : null;
      }
      case MAJORITY_VOTE -> {
        var winner = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
        return winner != null && winner.getValue() * 2 >= track.length ? ids.get(winner.getKey()) : null;
      }
      default -> { // MEAN_SCORE
        int best = 0;
        for (int g = 1; g < sum.length; g++) {
          if (sum[g] > sum[best]) {
            best = g;
          }
        }
        return sum[best] / track.length >= threshold ? ids.get(best) : null;
      }
    }
  }
}
