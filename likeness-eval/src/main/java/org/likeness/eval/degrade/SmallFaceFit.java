package org.likeness.eval.degrade;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.likeness.engine.verify.FmrTable;
import org.likeness.engine.verify.LowResolutionMap;
import org.likeness.eval.calibrate.ImpostorCalibration;

/**
 * Fits a pack's small-face rule ({@link org.likeness.engine.verify.SmallFaces}) on a set of photos
 * embedded clean and degraded: the map it ships is learned on every photo; its calibration is
 * measured as the map will be used, fold by fold: each photo degraded to each small width, mapped
 * by a map learned without its fold's people, scored against every clean photo of someone else.
 * The rule reads one calibration for every small width: at each rate the highest threshold any
 * width measured, so that none is decided more loosely than it measured.
 *
 * @param map the map learned on every photo
 * @param calibration the pointwise strictest of {@code byWidth}
 * @param byWidth each small width's own calibration of mapped probes
 * @param foldMaps for each fold, the map learned without it
 * @param heldOut for each fold, the rule's calibration measured without it (so that a fold's figures rest on nothing learned from its people)
 */
public record SmallFaceFit(LowResolutionMap map, FmrTable calibration, Map<String, FmrTable> byWidth, LowResolutionMap[] foldMaps,
    FmrTable[] heldOut) {

  /**
   * Fits on {@code study}'s photos but those of the {@code excluded} people (LFW names; so that a
   * study of them, such as scripted scenes, is held out from both map and calibration): the map
   * from {@code mapConditions}, the calibration over {@code widths}.
   */
  public static SmallFaceFit fit(DegradedPairs study, List<Degradation> mapConditions, List<Degradation> widths, double lambda,
      java.util.Set<String> excluded) throws Exception {
    int k = study.folds();
    if (k < 2) {
      throw new IllegalArgumentException("the calibration is measured across folds: the pairs have " + k);
    }
    Map<Path, Integer> fold = study.photoFolds();
    java.util.function.Predicate<Path> use = p -> !excluded.contains(DegradedPairs.person(p));
    LowResolutionMap[] maps = new LowResolutionMap[k];
    for (int f = 0; f < k; f++) {
      maps[f] = study.learnMap(mapConditions, lambda, f, use);
    }
    Map<Path, float[]> clean = study.clean();
    List<Path> photos = new ArrayList<>(fold.keySet().stream().filter(use).toList());
    photos.sort(null);
    Map<String, FmrTable> byWidth = new LinkedHashMap<>();
    List<ImpostorCalibration[]> folds = new ArrayList<>();
    long pairs = 0;
    for (Degradation w : widths) {
      Map<Path, DegradedPairs.Embedded> degraded = study.whole(w);
      ImpostorCalibration[] h = IntStream.range(0, photos.size()).parallel().collect(() -> DegradedPairs.newHistograms(k), (c, i) -> {
        Path p = photos.get(i);
        float[] v = maps[fold.get(p)].apply(degraded.get(p).template());
        String who = DegradedPairs.person(p);
        ImpostorCalibration mine = c[fold.get(p)];
        for (Path o : photos) {
          if (!DegradedPairs.person(o).equals(who)) {
            mine.impostor(DegradedPairs.dot(v, clean.get(o)));
          }
        }
      }, (a, b) -> {
        for (int f = 0; f < k; f++) {
          a[f].add(b[f]);
        }
      });
      folds.add(h);
      ImpostorCalibration all = DegradedPairs.othersThan(h, -1);
      byWidth.put(w.name(), all.table(w.name() + " probes, mapped by a map learned without their fold, against clean photos of others"));
      pairs += all.impostorPairs();
    }
    FmrTable[] heldOut = new FmrTable[k];
    for (int f = 0; f < k; f++) {
      List<FmrTable> tables = new ArrayList<>();
      for (ImpostorCalibration[] h : folds) {
        tables.add(DegradedPairs.othersThan(h, f).table("fold " + f + " held out"));
      }
      heldOut[f] = strictest(tables, "the small-face rule without fold " + f);
    }
    String source = "mapped small faces (" + String.join(", ", byWidth.keySet()) + ") against clean photos of others, the strictest "
        + "at each rate, fold by fold (" + k + " folds, " + photos.size() + " photos); map lambda " + lambda + " from "
        + String.join("+", mapConditions.stream().map(Degradation::name).toList())
        + (excluded.isEmpty() ? "" : "; " + excluded.size() + " people held out");
    FmrTable whole = strictest(List.copyOf(byWidth.values()), source);
    return new SmallFaceFit(study.learnMap(mapConditions, lambda, -1, use),
        new FmrTable(whole.points(), pairs / widths.size(), source), byWidth, maps, heldOut);
  }

  /** At each rate of the first table, the highest threshold any of them measured (non-decreasing as rates fall). */
  static FmrTable strictest(List<FmrTable> tables, String source) {
    List<FmrTable.Point> points = new ArrayList<>();
    double last = Double.NEGATIVE_INFINITY;
    for (FmrTable.Point p : tables.get(0).points()) {
      double t = p.threshold();
      for (FmrTable other : tables) {
        if (p.rate() >= other.minRate()) {
          t = Math.max(t, other.thresholdFor(p.rate()));
        }
      }
      last = Math.max(last, t);
      points.add(new FmrTable.Point(p.rate(), last));
    }
    return new FmrTable(points, tables.get(0).impostorPairs(), source);
  }
}
