package org.likeness.eval.degrade;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.verify.LowResolutionMap;
import org.likeness.engine.verify.FmrTable;
import org.likeness.eval.calibrate.ImpostorCalibration;
import org.likeness.eval.metrics.VerificationMetrics;
import org.likeness.eval.pairs.Pair;
import org.likeness.gallery.match.FpirRule;

/**
 * Verification pairs (LFW View 2) with the second photo of each pair degraded (or both, as for a
 * greyscale copy of the set): the gallery side stays as enrolled, the probe side is what footage
 * gives. Every photo is embedded through its central face, or the centred fallback when none is
 * found (counted: a face too small for the detector still gets a template, as a track would).
 * Figures at the pack's calibrated thresholds (clean scale): TAR, and the FMR measured there on
 * every cross-identity pair of degraded probe and clean photo; plus LFW's 10-fold accuracy.
 */
public final class DegradedPairs {
  /** A photo embedded: its template, whether the centred fallback stood in for a face, and its clean face width. */
  public record Embedded(float[] template, boolean fellBack, double width) {}

  /** Where templates come from: the engine, or the templates an earlier run wrote ({@code eval degrade --dump}; {@link TemplateSources}). */
  @FunctionalInterface
  public interface Templates {
    /** The photos, each degraded by {@code d} ({@code null}: as they are) for a face {@code width} pixels wide, embedded. */
    Map<Path, Embedded> embed(List<Path> photos, Degradation d, Map<Path, Double> width) throws Exception;
  }

  private final Templates source;
  private final List<Pair> pairs;
  private final Map<Path, float[]> clean = new HashMap<>();
  private final Map<Path, Double> faceWidth = new HashMap<>();
  /** Every photo under a condition, once embedded whole (the levers learn from all of them). */
  private final Map<String, Map<Path, Embedded>> wholeSet = new HashMap<>();

  /** A study of {@code pairs} with {@code engine}, {@code workers} photos at once. */
  public DegradedPairs(FaceEngine engine, List<Pair> pairs, int workers) throws Exception {
    this(TemplateSources.engine(engine, workers), pairs);
  }

  /** A study of {@code pairs} whose templates come from {@code source}. */
  public DegradedPairs(Templates source, List<Pair> pairs) throws Exception {
    this.source = source;
    this.pairs = pairs;
    LinkedHashSet<Path> all = new LinkedHashSet<>();
    pairs.forEach(p -> {
      all.add(p.a());
      all.add(p.b());
    });
    source.embed(new ArrayList<>(all), null, Map.of()).forEach((p, r) -> {
      clean.put(p, r.template());
      faceWidth.put(p, r.width());
    });
  }

  /**
   * One condition's figures.
   *
   * @param openSet 1:N at the default decision rule (FPIR 1e-2 at the gallery's size, never below the pack's default)
   */
  public record Result(String condition, boolean bothSides, int genuine, int impostor, double detected, double tar3, double tar4,
      double fmr3, double fmr4, double kFoldAccuracy, OpenSet openSet) {}

  /**
   * LFW 1:N from the same photos: the gallery is one clean photo of each person in a matched pair
   * (the first of their first pair), the mated probes are the degraded second photos of the matched
   * pairs, the non-mated probes the degraded second photos of the mismatched pairs whose person is
   * not in the gallery. FNIR: mated probes not named as their person (top candidate under the
   * threshold, or someone else); FPIR: non-mated probes whose top candidate clears it.
   *
   * @param threshold the decision threshold (the mean over folds where each fold has its own)
   */
  public record OpenSet(int gallery, int mated, int nonMated, double threshold, double fnir, double fpir) {}

  /**
   * Runs one condition, degrading the second photo of each pair (and the first too with
   * {@code bothSides}); {@code floor} is the pack's default threshold, the least the FPIR rule decides at.
   */
  public Result run(Degradation d, boolean bothSides, FmrTable calibration, double floor) throws Exception {
    LinkedHashSet<Path> side = new LinkedHashSet<>();
    pairs.forEach(p -> {
      side.add(p.b());
      if (bothSides) {
        side.add(p.a());
      }
    });
    Map<Path, Embedded> degraded = wholeSet.containsKey(d.name()) ? wholeSet.get(d.name()) : source.embed(new ArrayList<>(side), d, faceWidth);
    int found = 0;
    for (Path p : side) {
      found += degraded.get(p).fellBack() ? 0 : 1;
    }
    double[] scores = new double[pairs.size()];
    boolean[] same = new boolean[pairs.size()];
    int[] fold = new int[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      Pair p = pairs.get(i);
      float[] a = bothSides ? degraded.get(p.a()).template() : clean.get(p.a());
      scores[i] = dot(a, degraded.get(p.b()).template());
      same[i] = p.same();
      fold[i] = p.fold();
    }
    double t3 = calibration.thresholdFor(1e-3), t4 = calibration.thresholdFor(1e-4);
    int genuine = 0, tp3 = 0, tp4 = 0;
    for (int i = 0; i < scores.length; i++) {
      if (same[i]) {
        genuine++;
        tp3 += scores[i] >= t3 ? 1 : 0;
        tp4 += scores[i] >= t4 ? 1 : 0;
      }
    }
    // impostors: every degraded probe against every photo of another person on the other side
    List<Path> probes = new ArrayList<>(side);
    List<Path> others = new ArrayList<>(clean.keySet());
    long[] counts = new long[3];
    java.util.stream.IntStream.range(0, probes.size()).parallel().forEach(i -> {
      Path pb = probes.get(i);
      float[] v = degraded.get(pb).template();
      String who = person(pb);
      long n = 0, f3 = 0, f4 = 0;
      for (Path o : others) {
        if (person(o).equals(who)) {
          continue;
        }
        float[] w = bothSides && degraded.containsKey(o) ? degraded.get(o).template() : clean.get(o);
        double s = dot(v, w);
        n++;
        f3 += s >= t3 ? 1 : 0;
        f4 += s >= t4 ? 1 : 0;
      }
      synchronized (counts) {
        counts[0] += n;
        counts[1] += f3;
        counts[2] += f4;
      }
    });
    double acc = new VerificationMetrics(scores, same).kFoldAccuracy(fold, folds())[0];
    java.util.function.Function<Path, float[]> galleryTemplate = p -> bothSides ? degraded.get(p).template() : clean.get(p);
    double threshold = Math.max(floor, new FpirRule(FpirRule.DEFAULT).threshold(calibration, galleryPhotos().size()));
    return new Result(d.name(), bothSides, genuine, (int) Math.min(Integer.MAX_VALUE, counts[0]), (double) found / side.size(),
        (double) tp3 / genuine, (double) tp4 / genuine, (double) counts[1] / counts[0], (double) counts[2] / counts[0], acc,
        openSet(p -> degraded.get(p).template(), galleryTemplate, p -> threshold));
  }

  /**
   * A lever's figures for one condition on the probe photo.
   *
   * @param rule what was done: the condition's own calibration, or a learned map and its own calibration
   * @param tar3 TAR at the FMR 1e-3 threshold of the rule's calibration (each fold's, measured on the other folds' probes)
   */
  public record Lever(String condition, String rule, double tar3, double tar4, double kFoldAccuracy, OpenSet openSet) {}

  /**
   * Two levers for a probe degraded by {@code d}, measured fold by fold so that nothing a fold is
   * scored with was learned or calibrated on its people: (1) decisions read a calibration measured
   * on probes degraded the same way (impostors of the other folds' degraded probes against clean
   * photos) instead of the clean one; (2) each probe's template also goes through a
   * {@link LowResolutionMap} learned on the other folds' photos under the {@code mapConditions},
   * then (1). TAR at that calibration's FMR 1e-3 and 1e-4 thresholds; 1:N by the default FPIR
   * rule on it, never below its own FMR 1e-3 threshold.
   */
  public List<Lever> levers(Degradation d, List<Degradation> mapConditions, double lambda) throws Exception {
    int k = folds();
    if (k < 2) {
      throw new IllegalArgumentException("the levers are measured across folds: the pairs have " + k);
    }
    LowResolutionMap[] maps = new LowResolutionMap[k];
    for (int f = 0; f < k; f++) {
      maps[f] = learnMap(mapConditions, lambda, f, p -> true);
    }
    return levers(d, maps, mapRule(mapConditions, lambda));
  }

  /** As {@link #levers(Degradation, List, double)}, with each fold's map already learned without it ({@code mapRule} names them). */
  public List<Lever> levers(Degradation d, LowResolutionMap[] foldMaps, String mapRule) throws Exception {
    Map<Path, Integer> fold = photoFolds();
    Map<Path, Embedded> degraded = whole(d);
    List<Lever> out = new ArrayList<>();
    out.add(lever(d, "own calibration", p -> degraded.get(p).template(), fold));
    Map<Path, float[]> mapped = new HashMap<>();
    degraded.forEach((p, e) -> mapped.put(p, foldMaps[fold.get(p)].apply(e.template())));
    out.add(lever(d, mapRule + ", own calibration", mapped::get, fold));
    return out;
  }

  /** How a lever names a map learned from {@code mapConditions} with shrinkage {@code lambda}. */
  public static String mapRule(List<Degradation> mapConditions, double lambda) {
    return "learned map (" + String.join("+", mapConditions.stream().map(Degradation::name).toList()) + ", lambda " + lambda + ")";
  }

  /**
   * A map learned from every photo {@code use} admits under {@code mapConditions} toward its clean
   * template, leaving out fold {@code except} (-1: none).
   */
  LowResolutionMap learnMap(List<Degradation> mapConditions, double lambda, int except, java.util.function.Predicate<Path> use)
      throws Exception {
    Map<Path, Integer> fold = photoFolds();
    List<float[]> x = new ArrayList<>(), c = new ArrayList<>();
    for (Degradation m : mapConditions) {
      Map<Path, Embedded> train = whole(m);
      for (Map.Entry<Path, Integer> e : fold.entrySet()) {
        if (e.getValue() != except && use.test(e.getKey())) {
          x.add(train.get(e.getKey()).template());
          c.add(clean.get(e.getKey()));
        }
      }
    }
    return LowResolutionMap.learn(x, c, lambda);
  }

  /** Every photo's clean template. */
  Map<Path, float[]> clean() {
    return clean;
  }

  private Lever lever(Degradation d, String rule, java.util.function.Function<Path, float[]> probe, Map<Path, Integer> fold) {
    int k = folds();
    List<Path> probes = pairs.stream().map(Pair::b).distinct().toList();
    List<Path> others = new ArrayList<>(clean.keySet());
    ImpostorCalibration[] byFold = java.util.stream.IntStream.range(0, probes.size()).parallel().collect(() -> newHistograms(k), (h, i) -> {
      Path pb = probes.get(i);
      float[] v = probe.apply(pb);
      ImpostorCalibration mine = h[fold.get(pb)];
      for (Path o : others) {
        if (!person(o).equals(person(pb))) {
          mine.impostor(dot(v, clean.get(o)));
        }
      }
    }, (a, b) -> {
      for (int f = 0; f < k; f++) {
        a[f].add(b[f]);
      }
    });
    FmrTable[] calibration = new FmrTable[k];
    for (int f = 0; f < k; f++) {
      calibration[f] = othersThan(byFold, f).table(d.name() + " probes of the other folds against clean photos");
    }
    return lever(d, rule, probe, fold, calibration);
  }

  /**
   * The pack's small-face rule as {@code fit} makes it, for probes degraded by {@code d}, fold by
   * fold: each probe mapped by the map learned without its fold, decided on the strictest
   * calibration of the other folds' mapped small faces (what the shipped rule is, held out).
   */
  public Lever smallFaceRule(Degradation d, SmallFaceFit fit) throws Exception {
    Map<Path, Integer> fold = photoFolds();
    Map<Path, Embedded> degraded = whole(d);
    return lever(d, "the small-face rule (map and strictest small-width calibration, each learned without the probe's fold)",
        p -> fit.foldMaps()[fold.get(p)].apply(degraded.get(p).template()), fold, fit.heldOut());
  }

  /** The sum of the histograms of every fold but {@code f}. */
  static ImpostorCalibration othersThan(ImpostorCalibration[] byFold, int f) {
    ImpostorCalibration rest = new ImpostorCalibration();
    for (int g = 0; g < byFold.length; g++) {
      if (g != f) {
        rest.add(byFold[g]);
      }
    }
    return rest;
  }

  /** TAR, 10-fold accuracy and 1:N of {@code probe} templates decided on each fold's {@code calibration}. */
  private Lever lever(Degradation d, String rule, java.util.function.Function<Path, float[]> probe, Map<Path, Integer> fold,
      FmrTable[] calibration) {
    int k = folds();
    double[] decide = new double[k];
    int gallery = galleryPhotos().size();
    for (int f = 0; f < k; f++) {
      decide[f] = Math.max(calibration[f].thresholdFor(1e-3), new FpirRule(FpirRule.DEFAULT).threshold(calibration[f], gallery));
    }
    double[] scores = new double[pairs.size()];
    boolean[] same = new boolean[pairs.size()];
    int[] pairFold = new int[pairs.size()];
    int genuine = 0, tp3 = 0, tp4 = 0;
    for (int i = 0; i < pairs.size(); i++) {
      Pair p = pairs.get(i);
      scores[i] = dot(clean.get(p.a()), probe.apply(p.b()));
      same[i] = p.same();
      pairFold[i] = p.fold();
      if (p.same()) {
        FmrTable c = calibration[p.fold()];
        genuine++;
        tp3 += scores[i] >= c.thresholdFor(1e-3) ? 1 : 0;
        tp4 += scores[i] >= c.thresholdFor(1e-4) ? 1 : 0;
      }
    }
    double acc = new VerificationMetrics(scores, same).kFoldAccuracy(pairFold, k)[0];
    return new Lever(d.name(), rule, (double) tp3 / genuine, (double) tp4 / genuine, acc,
        openSet(probe, clean::get, p -> decide[fold.get(p)]));
  }

  static ImpostorCalibration[] newHistograms(int k) {
    ImpostorCalibration[] h = new ImpostorCalibration[k];
    for (int f = 0; f < k; f++) {
      h[f] = new ImpostorCalibration();
    }
    return h;
  }

  /** Every photo of the pairs under {@code d}, embedded once and kept. */
  Map<Path, Embedded> whole(Degradation d) throws Exception {
    if (d.kind() == Degradation.Kind.CLEAN) {
      Map<Path, Embedded> m = new HashMap<>();
      clean.forEach((p, t) -> m.put(p, new Embedded(t, false, faceWidth.get(p))));
      return m;
    }
    Map<Path, Embedded> m = wholeSet.get(d.name());
    if (m == null) {
      m = source.embed(photos(), d, faceWidth);
      wholeSet.put(d.name(), m);
    }
    return m;
  }

  /** The fold of each photo (LFW View 2's folds hold disjoint people, so each photo has one). */
  Map<Path, Integer> photoFolds() {
    Map<Path, Integer> fold = new HashMap<>();
    for (Pair p : pairs) {
      fold.put(p.a(), p.fold());
      fold.put(p.b(), p.fold());
    }
    return fold;
  }

  int folds() {
    return pairs.stream().mapToInt(Pair::fold).max().orElse(0) + 1;
  }

  /** The gallery of the 1:N figures: one photo per person of a matched pair, the first of their first. */
  private Map<String, Path> galleryPhotos() {
    Map<String, Path> galleryPhoto = new java.util.LinkedHashMap<>();
    for (Pair p : pairs) {
      if (p.same()) {
        galleryPhoto.putIfAbsent(person(p.a()), p.a());
      }
    }
    return galleryPhoto;
  }

  private OpenSet openSet(java.util.function.Function<Path, float[]> probeTemplate, java.util.function.Function<Path, float[]> galleryTemplate,
      java.util.function.ToDoubleFunction<Path> threshold) {
    Map<String, Path> galleryPhoto = galleryPhotos();
    List<String> names = new ArrayList<>(galleryPhoto.keySet());
    List<float[]> templates = names.stream().map(n -> galleryTemplate.apply(galleryPhoto.get(n))).toList();
    int mated = 0, missed = 0, nonMated = 0, named = 0;
    double thresholds = 0;
    LinkedHashSet<Path> seen = new LinkedHashSet<>();
    for (Pair p : pairs) {
      if (!seen.add(p.b()) || galleryPhoto.containsValue(p.b())) {
        continue;
      }
      boolean inGallery = galleryPhoto.containsKey(person(p.b()));
      if (!p.same() && inGallery) {
        continue; // a mismatched pair's photo of someone enrolled: neither a fair mate nor a stranger
      }
      float[] probe = probeTemplate.apply(p.b());
      double t = threshold.applyAsDouble(p.b());
      thresholds += t;
      int best = -1;
      double top = Double.NEGATIVE_INFINITY;
      for (int g = 0; g < templates.size(); g++) {
        double s = dot(probe, templates.get(g));
        if (s > top) {
          top = s;
          best = g;
        }
      }
      if (p.same()) {
        mated++;
        missed += top >= t && names.get(best).equals(person(p.b())) ? 0 : 1;
      } else {
        nonMated++;
        named += top >= t ? 1 : 0;
      }
    }
    return new OpenSet(templates.size(), mated, nonMated, thresholds / Math.max(1, mated + nonMated), mated == 0 ? Double.NaN : (double) missed / mated,
        nonMated == 0 ? Double.NaN : (double) named / nonMated);
  }

  static String person(Path photo) {
    return photo.getParent().getFileName().toString();
  }

  /** Every photo of the pairs, in a fixed order. */
  public List<Path> photos() {
    return clean.keySet().stream().sorted().toList();
  }

  /** Every photo of {@link #photos()} under {@code d}, in that order (its central face, or the centred fallback). */
  public List<Embedded> templates(Degradation d) throws Exception {
    Map<Path, Embedded> m = whole(d);
    return photos().stream().map(m::get).toList();
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
