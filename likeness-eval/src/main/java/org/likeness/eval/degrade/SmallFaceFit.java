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
 * @param tracks the calibration of templates of several frames: at each rate the strictest of
 *     {@code calibration} and of each track condition's (mapped means of several renders of each
 *     photo, {@link Degradation.Kind#TRACK}); null when no track condition was asked for
 * @param heldOutTracks for each fold, {@code tracks} measured without it; null with {@code tracks}
 */
public record SmallFaceFit(LowResolutionMap map, FmrTable calibration, Map<String, FmrTable> byWidth, LowResolutionMap[] foldMaps,
    FmrTable[] heldOut, FmrTable tracks, FmrTable[] heldOutTracks) {

  /**
   * Fits on {@code study}'s photos but those of the {@code excluded} people (LFW names; so that a
   * study of them, such as scripted scenes, is held out from both map and calibration): the map
   * from {@code mapConditions}, the calibration over {@code widths}.
   */
  public static SmallFaceFit fit(DegradedPairs study, List<Degradation> mapConditions, List<Degradation> widths, double lambda,
      java.util.Set<String> excluded) throws Exception {
    return fit(study, mapConditions, widths, List.of(), lambda, excluded);
  }

  /**
   * As {@link #fit(DegradedPairs, List, List, double, java.util.Set)}, with a calibration of tracks
   * measured the same way on {@code trackWidths} ({@link Degradation.Kind#TRACK} conditions; none: no tracks' calibration).
   */
  public static SmallFaceFit fit(DegradedPairs study, List<Degradation> mapConditions, List<Degradation> widths,
      List<Degradation> trackWidths, double lambda, java.util.Set<String> excluded) throws Exception {
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
      ImpostorCalibration[] h = mappedImpostors(study, w, photos, fold, maps, clean);
      folds.add(h);
      ImpostorCalibration all = DegradedPairs.othersThan(h, -1);
      byWidth.put(w.name(), all.table(w.name() + " probes, mapped by a map learned without their fold, against clean photos of others"));
      pairs += all.impostorPairs();
    }
    List<ImpostorCalibration[]> trackFolds = new ArrayList<>();
    List<FmrTable> trackTables = new ArrayList<>();
    for (Degradation w : trackWidths) {
      if (w.kind() != Degradation.Kind.TRACK) {
        throw new IllegalArgumentException(w.name() + " is not a track condition (wNxK)");
      }
      ImpostorCalibration[] h = mappedImpostors(study, w, photos, fold, maps, clean);
      trackFolds.add(h);
      FmrTable t = DegradedPairs.othersThan(h, -1).table(w.name() + " tracks, mapped by a map learned without their fold, against clean photos of others");
      byWidth.put(w.name(), t);
      trackTables.add(t);
    }
    FmrTable[] heldOut = new FmrTable[k];
    FmrTable[] heldOutTracks = trackWidths.isEmpty() ? null : new FmrTable[k];
    for (int f = 0; f < k; f++) {
      List<FmrTable> tables = new ArrayList<>();
      for (ImpostorCalibration[] h : folds) {
        tables.add(DegradedPairs.othersThan(h, f).table("fold " + f + " held out"));
      }
      heldOut[f] = strictest(tables, "the small-face rule without fold " + f);
      if (heldOutTracks != null) {
        List<FmrTable> withTracks = new ArrayList<>(List.of(heldOut[f]));
        for (ImpostorCalibration[] h : trackFolds) {
          withTracks.add(DegradedPairs.othersThan(h, f).table("fold " + f + " held out"));
        }
        heldOutTracks[f] = strictest(withTracks, "the small-face rule for tracks without fold " + f);
      }
    }
    String source = "mapped small faces (" + String.join(", ", widths.stream().map(Degradation::name).toList()) + ") against clean photos of others, the strictest "
        + "at each rate, fold by fold (" + k + " folds, " + photos.size() + " photos); map lambda " + lambda + " from "
        + String.join("+", mapConditions.stream().map(Degradation::name).toList())
        + (excluded.isEmpty() ? "" : "; " + excluded.size() + " people held out");
    List<FmrTable> photoTables = widths.stream().map(w -> byWidth.get(w.name())).toList();
    FmrTable whole = strictest(photoTables, source);
    FmrTable calibration = new FmrTable(whole.points(), pairs / widths.size(), source);
    FmrTable tracks = null;
    if (!trackTables.isEmpty()) {
      List<FmrTable> all = new ArrayList<>(List.of(calibration));
      all.addAll(trackTables);
      String trackSource = "mapped means of " + trackWidths.getFirst().frames() + " renders of each photo ("
          + String.join(", ", trackWidths.stream().map(Degradation::name).toList()) + ", each frame another sub-pixel phase and up to 10 % wider) "
          + "against clean photos of others, fold by fold, and the photos' calibration: the strictest at each rate";
      tracks = new FmrTable(strictest(all, trackSource).points(), trackTables.getFirst().impostorPairs(), trackSource);
    }
    return new SmallFaceFit(study.learnMap(mapConditions, lambda, -1, use), calibration, byWidth, maps, heldOut, tracks, heldOutTracks);
  }

  /** Every photo under {@code w}, mapped by its fold's map, against every clean photo of someone else: one histogram per fold. */
  private static ImpostorCalibration[] mappedImpostors(DegradedPairs study, Degradation w, List<Path> photos, Map<Path, Integer> fold,
      LowResolutionMap[] maps, Map<Path, float[]> clean) throws Exception {
    int k = maps.length;
    Map<Path, DegradedPairs.Embedded> degraded = study.whole(w);
    return IntStream.range(0, photos.size()).parallel().collect(() -> DegradedPairs.newHistograms(k), (c, i) -> {
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
