package org.likeness.eval.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.eval.pairs.Pair;

/** The levers of the degraded-face study on a synthetic set whose degradation is a known linear distortion plus noise. */
class DegradedPairsTest {
  private static final long SEED = Long.getLong("tests.seed", new Random().nextLong());
  private static final int DIM = 32, PEOPLE_PER_FOLD = 60, FOLDS = 4;
  private static final Path ROOT = Path.of("/synthetic");

  /** Identities, and a fixed distortion the "small" condition applies before its noise. */
  private record World(Map<String, float[]> identity, double[] distortion) {}

  private static World world(long seed) {
    Random rnd = new Random(seed);
    Map<String, float[]> identity = new HashMap<>();
    for (int p = 0; p < PEOPLE_PER_FOLD * FOLDS; p++) {
      identity.put(person(p), unit(rnd, DIM));
    }
    double[] distortion = new double[DIM * DIM];
    for (int i = 0; i < DIM * DIM; i++) {
      distortion[i] = (i / DIM == i % DIM ? 0.5 : 0) + 0.3 * rnd.nextGaussian();
    }
    return new World(identity, distortion);
  }

  private static String person(int p) {
    return String.format("person%03d", p);
  }

  private static Path photo(int p, int k) {
    return ROOT.resolve(person(p)).resolve(person(p) + "_000" + k + ".jpg");
  }

  /** Matched pairs (first and second photo) and mismatched pairs (neighbours' third photos) within each fold. */
  private static List<Pair> pairs() {
    List<Pair> pairs = new ArrayList<>();
    for (int f = 0; f < FOLDS; f++) {
      for (int i = 0; i < PEOPLE_PER_FOLD; i++) {
        int p = f * PEOPLE_PER_FOLD + i;
        pairs.add(new Pair(photo(p, 1), photo(p, 2), true, f));
      }
      for (int i = 0; i < PEOPLE_PER_FOLD; i++) {
        int p = f * PEOPLE_PER_FOLD + i, q = f * PEOPLE_PER_FOLD + (i + 1) % PEOPLE_PER_FOLD;
        pairs.add(new Pair(photo(p, 3), photo(q, 3), false, f));
      }
    }
    return pairs;
  }

  /** Clean: the identity plus photo noise; any other condition: the clean template distorted, plus more noise. */
  private static DegradedPairs.Templates templates(World w) {
    return (photos, d, width) -> {
      Map<Path, DegradedPairs.Embedded> out = new HashMap<>();
      for (Path p : photos) {
        Random rnd = new Random(p.toString().hashCode());
        float[] id = w.identity().get(p.getParent().getFileName().toString());
        float[] clean = new float[DIM];
        for (int i = 0; i < DIM; i++) {
          clean[i] = (float) (id[i] + 0.12 * rnd.nextGaussian());
        }
        normalize(clean);
        float[] t = clean;
        if (d != null && d.kind() != Degradation.Kind.CLEAN) {
          Random noise = new Random(p.toString().hashCode() * 31L + d.name().hashCode());
          t = new float[DIM];
          for (int j = 0; j < DIM; j++) {
            double s = 0;
            for (int i = 0; i < DIM; i++) {
              s += clean[i] * w.distortion()[i * DIM + j];
            }
            t[j] = (float) (s + 0.05 * noise.nextGaussian());
          }
          normalize(t);
        }
        out.put(p, new DegradedPairs.Embedded(t, false, 100));
      }
      return out;
    };
  }

  @Test
  void aLearnedMapRecoversWhatTheDistortionTookAndFiguresAreNested() throws Exception {
    World w = world(SEED);
    DegradedPairs study = new DegradedPairs(templates(w), pairs());
    Degradation small = Degradation.parse("w16");
    List<DegradedPairs.Lever> levers = study.levers(small, List.of(small), 1);
    assertEquals(2, levers.size());
    DegradedPairs.Lever own = levers.get(0), mapped = levers.get(1);
    assertEquals("own calibration", own.rule());
    assertTrue(mapped.rule().startsWith("learned map (w16"), mapped.rule());
    assertTrue(mapped.kFoldAccuracy() > own.kFoldAccuracy() + 0.05, "seed " + SEED + ": " + own + " / " + mapped);
    assertTrue(mapped.tar3() > own.tar3(), "seed " + SEED + ": " + own + " / " + mapped);
    assertTrue(mapped.openSet().fnir() < own.openSet().fnir(), "seed " + SEED + ": " + own + " / " + mapped);
    assertEquals(PEOPLE_PER_FOLD * FOLDS, mapped.openSet().gallery());
  }

  @Test
  void writtenTemplatesGiveTheSameFigures(@TempDir Path out) throws Exception {
    World w = world(SEED);
    DegradedPairs study = new DegradedPairs(templates(w), pairs());
    Degradation small = Degradation.parse("w16");
    TemplateSources.write(study, out, ROOT, List.of(Degradation.parse("clean"), small));
    DegradedPairs reread = new DegradedPairs(TemplateSources.written(out, ROOT), pairs());
    assertEquals(study.levers(small, List.of(small), 1), reread.levers(small, List.of(small), 1));
    assertThrows(IllegalArgumentException.class, () -> reread.levers(Degradation.parse("w24"), List.of(small), 1),
        "a condition the run did not write");
  }

  /**
   * The fitted small-face rule: its calibration is the strictest of its widths at every rate, each
   * fold's copy is measured without that fold, people held out leave every part of it, and, held
   * out fold by fold, it finds more people than a calibration of the unmapped small faces.
   */
  @Test
  void theSmallFaceRuleIsTheStrictestOfItsWidthsAndHoldsOutWhatItIsMeasuredOn() throws Exception {
    World w = world(SEED);
    DegradedPairs study = new DegradedPairs(templates(w), pairs());
    Degradation w16 = Degradation.parse("w16"), w24 = Degradation.parse("w24");
    SmallFaceFit fit = SmallFaceFit.fit(study, List.of(w16, w24), List.of(w16, w24), 1, java.util.Set.of());
    assertEquals(FOLDS, fit.heldOut().length);
    for (double rate : new double[] {1e-1, 1e-2, 1e-3}) {
      double strictest = Math.max(fit.byWidth().get("w16").thresholdFor(rate), fit.byWidth().get("w24").thresholdFor(rate));
      assertEquals(strictest, fit.calibration().thresholdFor(rate), 1e-9, "rate " + rate);
    }
    for (int f = 0; f < FOLDS; f++) { // measured on the other folds: (FOLDS-1)/FOLDS of the pairs, about
      double share = (double) fit.heldOut()[f].impostorPairs() / fit.byWidth().get("w16").impostorPairs();
      assertTrue(share > 0.6 && share < 0.8, "fold " + f + ": " + share);
    }
    java.util.Set<String> out = java.util.Set.of(person(0), person(1), person(2));
    SmallFaceFit heldOut = SmallFaceFit.fit(study, List.of(w16), List.of(w16), 1, out);
    long photos = PEOPLE_PER_FOLD * FOLDS * 3L, kept = photos - 9; // each person has three photos
    assertTrue(heldOut.calibration().source().contains("3 people held out"), heldOut.calibration().source());
    assertTrue(heldOut.byWidth().get("w16").impostorPairs() < kept * kept, "pairs of the held-out people are gone");
    DegradedPairs.Lever rule = study.smallFaceRule(w16, fit);
    assertTrue(rule.rule().startsWith("the small-face rule"), rule.rule());
    DegradedPairs.Lever own = study.levers(w16, List.of(w16, w24), 1).get(0);
    assertTrue(rule.openSet().fnir() < own.openSet().fnir(), "seed " + SEED + ": " + rule + " / " + own);
    assertEquals(PEOPLE_PER_FOLD * FOLDS, rule.openSet().gallery());
  }

  /** The tracks' calibration is never looser than the photos' nor than any track condition's, fold by fold too. */
  @Test
  void theTracksCalibrationIsTheStrictestOfPhotosAndTracks() throws Exception {
    World w = world(SEED);
    DegradedPairs study = new DegradedPairs(templates(w), pairs());
    Degradation w16 = Degradation.parse("w16"), w16x8 = Degradation.parse("w16x8");
    SmallFaceFit fit = SmallFaceFit.fit(study, List.of(w16), List.of(w16), List.of(w16x8), 1, java.util.Set.of());
    assertTrue(fit.tracks().source().contains("w16x8"), fit.tracks().source());
    for (double rate : new double[] {1e-1, 1e-2, 1e-3}) {
      double strictest = Math.max(fit.calibration().thresholdFor(rate), fit.byWidth().get("w16x8").thresholdFor(rate));
      assertEquals(strictest, fit.tracks().thresholdFor(rate), 1e-9, "rate " + rate);
      for (int f = 0; f < FOLDS; f++) {
        assertTrue(fit.heldOutTracks()[f].thresholdFor(rate) >= fit.heldOut()[f].thresholdFor(rate), "fold " + f + " rate " + rate);
      }
    }
    assertEquals(null, SmallFaceFit.fit(study, List.of(w16), List.of(w16), 1, java.util.Set.of()).tracks());
    assertThrows(IllegalArgumentException.class, () -> SmallFaceFit.fit(study, List.of(w16), List.of(w16), List.of(w16), 1, java.util.Set.of()),
        "a photo condition is no track");
  }

  @Test
  void leversNeedFolds() throws Exception {
    List<Pair> oneFold = pairs().stream().map(p -> new Pair(p.a(), p.b(), p.same(), 0)).toList();
    DegradedPairs study = new DegradedPairs(templates(world(SEED)), oneFold);
    Degradation small = Degradation.parse("w16");
    assertThrows(IllegalArgumentException.class, () -> study.levers(small, List.of(small), 1));
  }

  private static float[] unit(Random rnd, int d) {
    float[] v = new float[d];
    for (int i = 0; i < d; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return normalize(v);
  }

  private static float[] normalize(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f * f;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(s);
    }
    return v;
  }
}
