package org.likeness.gallery.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.engine.verify.FaceSize;
import org.likeness.engine.verify.FmrTable;
import org.likeness.engine.verify.LowResolutionMap;
import org.likeness.engine.verify.SmallFaces;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.StoredDecision;

/**
 * A small face is decided on the small-face rule: its template mapped, its scores read on the
 * small-face calibration at the rates of the rule asked for; a stored decision says so and is
 * decided again the same way. Faces of unknown width or wide enough are decided as before.
 */
class SmallFaceRuleTest {
  private static final long SEED = Long.getLong("tests.seed", new Random().nextLong());
  private static final FmrTable CLEAN = new FmrTable(List.of(new FmrTable.Point(1.0, -1.0), new FmrTable.Point(1e-3, 0.62),
      new FmrTable.Point(1e-4, 0.66), new FmrTable.Point(1e-6, 0.73)), 87_000_000, "clean");
  /** Mapped small faces score higher against strangers: every rate sits at a higher score. */
  private static final FmrTable SMALL = new FmrTable(List.of(new FmrTable.Point(1.0, -1.0), new FmrTable.Point(1e-3, 0.66),
      new FmrTable.Point(1e-4, 0.69), new FmrTable.Point(1e-6, 0.77)), 59_000_000, "small");
  /** Mapped templates of several frames score higher still against strangers. */
  private static final FmrTable TRACKS = new FmrTable(List.of(new FmrTable.Point(1.0, -1.0), new FmrTable.Point(1e-3, 0.68),
      new FmrTable.Point(1e-4, 0.71), new FmrTable.Point(1e-6, 0.79)), 7_000_000, "tracks");
  private static final int D = 8;

  @Test
  void onlyKnownSmallWidthsTakeTheSmallFaceRule() {
    SmallFaces small = new SmallFaces(36, swap(D), SMALL);
    MatchPolicy rule = MatchPolicy.atFpir(0.01, CLEAN, 0.62, SearchMethod.EXACT, Aggregation.MAX).withSmallFaces(small);
    float[] t = unit(new Random(SEED));
    for (double width : new double[] {Double.NaN, 36, 120}) {
      MatchPolicy.Probe p = rule.forProbe(t, width);
      assertThat(p.template()).as("width %s", width).isSameAs(t);
      assertThat(p.policy()).isSameAs(rule);
      assertThat(p.smallFace()).isNull();
    }
    MatchPolicy.Probe p = rule.forProbe(t, 20);
    assertThat(p.smallFace()).isEqualTo(FaceSize.photo(20));
    assertThat(p.template()).containsExactly(small.map().apply(t));
    assertThat(p.policy().calibration()).isSameAs(SMALL);
    assertThat(p.policy().fpir()).isEqualTo(0.01);
    assertThat(p.policy().threshold()).as("the floor at the clean floor's rate, 1e-3").isCloseTo(0.66, within(1e-9));
    // at every gallery size the small threshold stands for the same FPIR on its own calibration
    for (long n : new long[] {1, 100, 10_000, 1_000_000}) {
      double clean = rule.thresholdFor(n), mapped = p.policy().thresholdFor(n);
      assertThat(SMALL.tailRateAt(mapped)).as("n %d", n).isCloseTo(CLEAN.tailRateAt(clean), within(CLEAN.tailRateAt(clean) * 1e-6));
    }
    // a fixed rule (--fmr 1e-4) stays at 1e-4
    MatchPolicy fixed = MatchPolicy.atFmr(1e-4, CLEAN, SearchMethod.EXACT, Aggregation.MAX).withSmallFaces(small);
    assertThat(fixed.forProbe(t, 20).policy().threshold()).isCloseTo(0.69, within(1e-9));
    // no calibration, no small-face rule; a template of another size is not mapped
    assertThat(new MatchPolicy(SearchMethod.EXACT, Aggregation.MAX, 0.5, null).withSmallFaces(small).forProbe(t, 20).smallFace()).isNull();
    assertThat(rule.forProbe(new float[D + 1], 20).smallFace()).isNull();
  }

  @Test
  void aSmallFaceIsNamedOnlyOnTheSmallFaceCalibrationAndStoredDecisionsDecideAgainAlike() {
    SmallFaces small = new SmallFaces(36, swap(D), SMALL);
    MatchPolicy rule = MatchPolicy.atFpir(0.01, CLEAN, 0.62, SearchMethod.EXACT, Aggregation.MAX).withSmallFaces(small);
    long templates = 1;
    // a score of 0.645 names someone on the clean rule (threshold 0.62 for one template) but not a small face (0.66)
    List<Hit> hits = List.of(new Hit(1, 0.645f), new Hit(2, 0.2f));
    Map<Long, Long> subjectOf = Map.of(1L, 10L, 2L, 20L);
    Map<Long, String> names = Map.of(10L, "ada", 20L, "bob");
    Identification asAny = rule.decide(hits, subjectOf::get, names::get, templates, 5);
    assertThat(asAny.decision().subject()).isEqualTo("ada");
    MatchPolicy.Probe p = rule.forProbe(unit(new Random(SEED)), 24.5);
    Identification asSmall = p.decide(hits, subjectOf::get, names::get, templates, 5);
    assertThat(asSmall.decision()).isNull();
    assertThat(asSmall.threshold()).isCloseTo(0.66, within(1e-9));
    assertThat(asSmall.candidates().get(0).fmr().rate()).isGreaterThan(1e-3); // read on the small calibration
    // stored, it says so, and decides again on the same rule and width
    StoredDecision stored = StoredDecision.read(StoredDecision.json(asSmall, rule, 5));
    assertThat(stored.smallFace()).isEqualTo(24.5);
    assertThat(stored.width()).isEqualTo(24.5);
    MatchPolicy again = stored.rule(CLEAN, small, 0.62);
    MatchPolicy.Probe q = again.forProbe(unit(new Random(SEED)), stored.width());
    assertThat(q.policy().thresholdFor(templates)).isEqualTo(p.policy().thresholdFor(templates));
    assertThat(StoredDecision.json(q.decide(hits, subjectOf::get, names::get, templates, 5), again, 5))
        .isEqualTo(StoredDecision.json(asSmall, rule, 5));
    assertThat(stored.explain(null)).contains("threshold 0.660").endsWith("small face (24.5 px): decided on the small-face calibration");
    // an ordinary decision stores no width and decides again as any face
    StoredDecision plain = StoredDecision.read(StoredDecision.json(asAny, rule, 5));
    assertThat(plain.smallFace()).isNull();
    assertThat(plain.width()).isNaN();
    assertThat(plain.rule(CLEAN, small, 0.62).forProbe(new float[D], plain.width()).smallFace()).isNull();
  }

  @Test
  void aSmallTrackIsDecidedOnTheTracksCalibrationAndDecidesAgainSo() {
    SmallFaces small = new SmallFaces(36, swap(D), SMALL, TRACKS);
    MatchPolicy rule = MatchPolicy.atFpir(0.01, CLEAN, 0.62, SearchMethod.EXACT, Aggregation.MAX).withSmallFaces(small);
    Random rnd = new Random(SEED);
    float[] t = unit(rnd);
    int frames = 2 + rnd.nextInt(7);
    // a photo's small face reads the photos' calibration, a track's (2 frames or more) the tracks'; both mapped alike
    assertThat(rule.forProbe(t, FaceSize.photo(20)).policy().calibration()).isSameAs(SMALL);
    MatchPolicy.Probe p = rule.forProbe(t, new FaceSize(20, frames));
    assertThat(p.policy().calibration()).isSameAs(TRACKS);
    assertThat(p.template()).containsExactly(small.map().apply(t));
    assertThat(p.policy().threshold()).as("the floor at the clean floor's rate, 1e-3").isCloseTo(0.68, within(1e-9));
    // a wide track is decided as any face; a rule without a tracks' calibration decides tracks as photos
    assertThat(rule.forProbe(t, new FaceSize(40, frames)).smallFace()).isNull();
    assertThat(MatchPolicy.atFpir(0.01, CLEAN, 0.62, SearchMethod.EXACT, Aggregation.MAX).withSmallFaces(new SmallFaces(36, swap(D), SMALL))
        .forProbe(t, new FaceSize(20, frames)).policy().calibration()).isSameAs(SMALL);
    // 0.67 names a photo's small face (0.66) but not a track's (0.68); stored, the track decides again on the tracks' calibration
    List<Hit> hits = List.of(new Hit(1, 0.67f));
    Map<Long, Long> subjectOf = Map.of(1L, 10L);
    Map<Long, String> names = Map.of(10L, "ada");
    assertThat(rule.forProbe(t, FaceSize.photo(20)).decide(hits, subjectOf::get, names::get, 1, 5).decision().subject()).isEqualTo("ada");
    Identification track = p.decide(hits, subjectOf::get, names::get, 1, 5);
    assertThat(track.decision()).isNull();
    assertThat(track.smallFace()).isEqualTo(new FaceSize(20, frames));
    StoredDecision stored = StoredDecision.read(StoredDecision.json(track, rule, 5));
    assertThat(stored.size()).isEqualTo(new FaceSize(20, frames));
    MatchPolicy again = stored.rule(CLEAN, small, 0.62);
    assertThat(StoredDecision.json(again.forProbe(t, stored.size()).decide(hits, subjectOf::get, names::get, 1, 5), again, 5))
        .isEqualTo(StoredDecision.json(track, rule, 5));
    // a small track stored before tracks had their own calibration (no frames kept) decides again as it was decided: on the photos'
    Identification before = rule.forProbe(t, FaceSize.photo(20)).decide(hits, subjectOf::get, names::get, 1, 5);
    StoredDecision old = StoredDecision.read(StoredDecision.json(before, rule, 5));
    assertThat(old.size()).isEqualTo(FaceSize.photo(20));
    assertThat(old.rule(CLEAN, small, 0.62).forProbe(t, old.size()).policy().calibration()).isSameAs(SMALL);
  }

  /** A map that visibly changes a template: its halves swapped. */
  private static LowResolutionMap swap(int d) {
    double[] w = new double[d * d];
    for (int i = 0; i < d; i++) {
      w[i * d + (i + d / 2) % d] = 1;
    }
    return new LowResolutionMap(d, w);
  }

  private static float[] unit(Random rnd) {
    float[] v = new float[D];
    double s = 0;
    for (int i = 0; i < D; i++) {
      v[i] = (float) rnd.nextGaussian();
      s += v[i] * v[i];
    }
    for (int i = 0; i < D; i++) {
      v[i] /= (float) Math.sqrt(s);
    }
    return v;
  }
}
