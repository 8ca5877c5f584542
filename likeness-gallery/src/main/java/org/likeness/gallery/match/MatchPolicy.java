package org.likeness.gallery.match;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.likeness.engine.verify.FaceSize;
import org.likeness.engine.verify.FmrTable;
import org.likeness.engine.verify.SmallFaces;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.search.SearchMethod;

/**
 * How identification decides: search method, per-subject aggregation, the decision threshold,
 * and the pack's measured false-match rates (null when it has none) that turn scores into rates.
 * With an {@code fpir} target the threshold is the gallery's own: the one at which a stranger is
 * named at that rate per probe given the gallery's size ({@link FpirRule}), never below
 * {@code threshold} (the floor: the pack's per-comparison default, which a gallery of a handful of
 * templates would otherwise go under). With {@code smallFaces} a probe narrower than its width is
 * decided by {@link #forProbe}: its template mapped, its scores read on the small-face calibration
 * at the same rates as this rule's.
 */
public record MatchPolicy(SearchMethod method, Aggregation aggregation, double threshold, FmrTable calibration, Double fpir,
    SmallFaces smallFaces) {

  /** A policy at a fixed threshold (no FPIR target). */
  public MatchPolicy(SearchMethod method, Aggregation aggregation, double threshold, FmrTable calibration) {
    this(method, aggregation, threshold, calibration, null);
  }

  /** A policy without a small-face rule. */
  public MatchPolicy(SearchMethod method, Aggregation aggregation, double threshold, FmrTable calibration, Double fpir) {
    this(method, aggregation, threshold, calibration, fpir, null);
  }

  /** This rule with small faces decided as {@code small} says (null: as any other face). */
  public MatchPolicy withSmallFaces(SmallFaces small) {
    return new MatchPolicy(method, aggregation, threshold, calibration, fpir, calibration == null ? null : small);
  }

  /**
   * A probe as this rule decides it: the template searched with, the rule that decides it, and its
   * size when it was decided as a small face (else null).
   */
  public record Probe(float[] template, MatchPolicy policy, FaceSize smallFace) {
    /** The decision from a search with {@link #template}, by {@link #policy}, marked as a small face's when it is one. */
    public Identification decide(List<Hit> hits, LongFunction<Long> subjectOf, LongFunction<String> nameOf, long templates, int top) {
      return policy.decide(hits, subjectOf, nameOf, templates, top).asSmallFace(smallFace);
    }
  }

  /** How one photo's face {@code width} pixels wide (NaN when unknown) is decided: {@link #forProbe(float[], FaceSize)}. */
  public Probe forProbe(float[] template, double width) {
    return forProbe(template, FaceSize.photo(width));
  }

  /**
   * How a probe of {@code size} is decided. A small face has its template mapped and is decided on
   * the small-face calibration (of tracks, for a template of several frames, where the pack has
   * one) at the rates this rule stands for: the same FPIR target, and as floor (or fixed threshold)
   * the score that calibration gives the false-match rate of this rule's own floor.
   */
  public Probe forProbe(float[] template, FaceSize size) {
    if (smallFaces == null || calibration == null || !smallFaces.applies(size.width()) || template.length != smallFaces.map().dimension()) {
      return new Probe(template, this, null);
    }
    FmrTable small = smallFaces.calibrationFor(size);
    double floor = small.tailThresholdFor(Math.min(calibration.tailRateAt(threshold), small.points().getFirst().rate()));
    return new Probe(smallFaces.map().apply(template), new MatchPolicy(method, aggregation, floor, small, fpir, null), size);
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

  /**
   * The decision rule a user asks for: at a false-match rate per comparison when {@code fmr} is
   * given; else at a target FPIR per probe ({@code fpir}, default {@link FpirRule#DEFAULT}), the
   * threshold then the gallery's own for its size and never below the pack's default. A pack
   * without a calibration decides at its threshold.
   */
  public static MatchPolicy of(Double fmr, Double fpir, SearchMethod method, Aggregation aggregation,
      org.likeness.engine.verify.Verifier verifier, String packId) {
    if (fmr != null && fpir != null) {
      throw new org.likeness.gallery.store.InvalidInputException("give --fmr or --fpir, not both");
    }
    FmrTable calibration = verifier.calibration();
    if (fmr == null && calibration != null) {
      double target = fpir == null ? FpirRule.DEFAULT : fpir;
      if (!(target > 0 && target < 1)) {
        throw new org.likeness.gallery.store.InvalidInputException("--fpir " + target + " is not a rate between 0 and 1");
      }
      return MatchPolicy.atFpir(target, calibration, verifier.threshold(), method, aggregation).withSmallFaces(verifier.smallFaces());
    }
    if (fmr == null && fpir != null) {
      throw new org.likeness.gallery.store.InvalidInputException("pack " + packId + " has no FMR calibration; --fpir needs one");
    }
    if (fmr != null) {
      if (calibration == null) {
        throw new org.likeness.gallery.store.InvalidInputException("pack " + packId + " has no FMR calibration; use the default threshold");
      }
      if (!(fmr >= calibration.minRate() && fmr < 1)) {
        throw new org.likeness.gallery.store.InvalidInputException("--fmr " + fmr + " is outside what the calibration measured (" + calibration.minRate() + " to 1)");
      }
      return MatchPolicy.atFmr(fmr, calibration, method, aggregation).withSmallFaces(verifier.smallFaces());
    }
    return new MatchPolicy(method, aggregation, verifier.threshold(), calibration);
  }

  /** Templates retrieved per candidate asked for, before grouping by subject. */
  private static final int FACES_PER_CANDIDATE = 10;

  /** How many search hits to ask for when {@code top} candidates are wanted. */
  public static int hitsFor(int top) {
    return Math.max(top * FACES_PER_CANDIDATE, 50);
  }

  /**
   * The open-set answer from a search's hits (best first) in a gallery of {@code templates}
   * templates: subjects ranked by their aggregated score, the top one named when it reaches this
   * rule's threshold for the gallery's size and no other subject is too close. Every search path
   * decides here (a gallery in this process, a gallery broadcast to a cluster).
   *
   * @param subjectOf a face's subject id, null for a face no longer searchable
   * @param nameOf a subject's name
   */
  public Identification decide(List<Hit> hits, LongFunction<Long> subjectOf, LongFunction<String> nameOf, long templates, int top) {
    Map<Long, List<Float>> bySubject = new HashMap<>();
    Map<Long, Long> bestFace = new HashMap<>();
    for (Hit h : hits) {
      Long s = subjectOf.apply(h.faceId());
      if (s != null) {
        bySubject.computeIfAbsent(s, k -> new ArrayList<>()).add(h.score());
        bestFace.putIfAbsent(s, h.faceId()); // hits are best first
      }
    }
    List<Candidate> candidates = new ArrayList<>();
    for (var e : bySubject.entrySet()) {
      List<Float> scores = e.getValue(); // best first: hits are sorted
      double score = aggregation == Aggregation.MAX || scores.size() == 1 ? scores.get(0) : (scores.get(0) + scores.get(1)) / 2.0;
      var fmr = calibration == null ? null : calibration.fmrAt(score);
      candidates.add(new Candidate(e.getKey(), nameOf.apply(e.getKey()), score, fmr, bestFace.get(e.getKey())));
    }
    candidates.sort(Comparator.comparingDouble(Candidate::score).reversed());
    List<Candidate> topList = candidates.subList(0, Math.min(top, candidates.size()));
    double at = thresholdFor(templates);
    Candidate decision = !topList.isEmpty() && topList.get(0).score() >= at ? topList.get(0) : null;
    List<Candidate> ambiguous = List.of();
    if (decision != null && candidates.size() >= 2 && ambiguous(candidates.get(0).score(), candidates.get(1).score())) {
      ambiguous = List.of(candidates.get(0), candidates.get(1)); // two people too close to tell apart: say so, name neither
      decision = null;
    }
    Double rate = topList.isEmpty() ? null : fpirAt(topList.get(0).score(), templates);
    return new Identification(topList, decision, at, rate, templates, ambiguous);
  }
}
