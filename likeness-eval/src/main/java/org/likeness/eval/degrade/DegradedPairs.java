package org.likeness.eval.degrade;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.verify.FmrTable;
import org.likeness.eval.metrics.VerificationMetrics;
import org.likeness.eval.pairs.FaceChoice;
import org.likeness.eval.pairs.Pair;
import org.likeness.eval.pairs.PairScorer;

/**
 * Verification pairs (LFW View 2) with the second photo of each pair degraded (or both, as for a
 * greyscale copy of the set): the gallery side stays as enrolled, the probe side is what footage
 * gives. Every photo is embedded through its central face, or the centred fallback when none is
 * found (counted: a face too small for the detector still gets a template, as a track would).
 * Figures at the pack's calibrated thresholds (clean scale): TAR, and the FMR measured there on
 * every cross-identity pair of degraded probe and clean photo; plus LFW's 10-fold accuracy.
 */
public final class DegradedPairs {
  private final FaceEngine engine;
  private final List<Pair> pairs;
  private final int workers;
  private final Map<Path, float[]> clean = new HashMap<>();
  private final Map<Path, Double> faceWidth = new HashMap<>();

  /** A study of {@code pairs} with {@code engine}, {@code workers} photos at once. */
  public DegradedPairs(FaceEngine engine, List<Pair> pairs, int workers) throws Exception {
    this.engine = engine;
    this.pairs = pairs;
    this.workers = workers;
    LinkedHashSet<Path> all = new LinkedHashSet<>();
    pairs.forEach(p -> {
      all.add(p.a());
      all.add(p.b());
    });
    Map<Path, Object[]> done = embed(new ArrayList<>(all), null);
    done.forEach((p, r) -> {
      clean.put(p, (float[]) r[0]);
      faceWidth.put(p, (Double) r[2]);
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
    Map<Path, Object[]> degraded = embed(new ArrayList<>(side), d);
    int found = 0;
    for (Object[] r : degraded.values()) {
      found += (Boolean) r[1] ? 0 : 1;
    }
    double[] scores = new double[pairs.size()];
    boolean[] same = new boolean[pairs.size()];
    int[] fold = new int[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      Pair p = pairs.get(i);
      float[] a = bothSides ? (float[]) degraded.get(p.a())[0] : clean.get(p.a());
      scores[i] = dot(a, (float[]) degraded.get(p.b())[0]);
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
      float[] v = (float[]) degraded.get(pb)[0];
      String who = pb.getParent().getFileName().toString();
      long n = 0, f3 = 0, f4 = 0;
      for (Path o : others) {
        if (o.getParent().getFileName().toString().equals(who)) {
          continue;
        }
        float[] w = bothSides && degraded.containsKey(o) ? (float[]) degraded.get(o)[0] : clean.get(o);
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
    double acc = new VerificationMetrics(scores, same).kFoldAccuracy(fold, 10)[0];
    return new Result(d.name(), bothSides, genuine, (int) Math.min(Integer.MAX_VALUE, counts[0]), (double) found / degraded.size(),
        (double) tp3 / genuine, (double) tp4 / genuine, (double) counts[1] / counts[0], (double) counts[2] / counts[0], acc,
        openSet(degraded, bothSides, calibration, floor));
  }

  private OpenSet openSet(Map<Path, Object[]> degraded, boolean bothSides, FmrTable calibration, double floor) {
    Map<String, Path> galleryPhoto = new java.util.LinkedHashMap<>();
    for (Pair p : pairs) {
      if (p.same()) {
        galleryPhoto.putIfAbsent(person(p.a()), p.a());
      }
    }
    List<String> names = new ArrayList<>(galleryPhoto.keySet());
    List<float[]> templates = names.stream().map(n -> bothSides ? (float[]) degraded.get(galleryPhoto.get(n))[0]
        : clean.get(galleryPhoto.get(n))).toList();
    double threshold = Math.max(floor, new org.likeness.gallery.match.FpirRule(0.01).threshold(calibration, templates.size()));
    int mated = 0, missed = 0, nonMated = 0, named = 0;
    LinkedHashSet<Path> seen = new LinkedHashSet<>();
    for (Pair p : pairs) {
      if (!seen.add(p.b()) || galleryPhoto.containsValue(p.b())) {
        continue;
      }
      boolean inGallery = galleryPhoto.containsKey(person(p.b()));
      if (!p.same() && inGallery) {
        continue; // a mismatched pair's photo of someone enrolled: neither a fair mate nor a stranger
      }
      float[] probe = (float[]) degraded.get(p.b())[0];
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
        missed += top >= threshold && names.get(best).equals(person(p.b())) ? 0 : 1;
      } else {
        nonMated++;
        named += top >= threshold ? 1 : 0;
      }
    }
    return new OpenSet(templates.size(), mated, nonMated, threshold, mated == 0 ? Double.NaN : (double) missed / mated,
        nonMated == 0 ? Double.NaN : (double) named / nonMated);
  }

  private static String person(Path photo) {
    return photo.getParent().getFileName().toString();
  }

  /** Photo to {template, fell back?, clean face width}, degraded by {@code d} (null: as it is). */
  private Map<Path, Object[]> embed(List<Path> photos, Degradation d) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers));
    try {
      List<Future<Object[]>> fs = new ArrayList<>();
      for (Path p : photos) {
        fs.add(pool.submit(() -> {
          byte[] bytes = Files.readAllBytes(p);
          if (d != null) {
            bytes = d.apply(Degradation.read(bytes), faceWidth.get(p));
          }
          RgbImage img = engine.decoder().decode(bytes, p.toString());
          Optional<Face> face = FaceChoice.CENTRAL.pick(engine, img);
          double width = face.map(f -> f.box().width()).orElse(PairScorer.CENTRED_FRACTION * Math.min(img.width(), img.height()));
          return face.isPresent() ? new Object[] {face.get().embedding(), false, width}
              : new Object[] {engine.centredFallback(img, PairScorer.CENTRED_FRACTION).embedding(), true, width};
        }));
      }
      Map<Path, Object[]> out = new HashMap<>();
      for (int i = 0; i < photos.size(); i++) {
        out.put(photos.get(i), fs.get(i).get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
