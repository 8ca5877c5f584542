package org.likeness.gallery.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.engine.verify.FmrTable;
import org.likeness.gallery.search.SearchMethod;

/** The FPIR rule: per-comparison rates, thresholds by gallery size, the tail beyond the table, and the floor. */
class FpirRuleTest {
  /** The default pack's last decades, as measured. */
  private static final FmrTable TABLE = new FmrTable(List.of(new FmrTable.Point(1.0, -1.0), new FmrTable.Point(1e-3, 0.6204),
      new FmrTable.Point(1e-4, 0.6630), new FmrTable.Point(1e-5, 0.6988), new FmrTable.Point(1e-6, 0.7291)), 87_307_170, "test");

  @Test
  void aGalleryOfNTemplatesGetsTheRateThatGivesTheTargetOverNComparisons() {
    FpirRule rule = new FpirRule(0.01);
    assertThat(rule.perComparison(1)).isCloseTo(0.01, within(1e-12));
    assertThat(rule.perComparison(1000)).isCloseTo(1.005e-5, within(1e-8));
    assertThat(1 - Math.pow(1 - rule.perComparison(7994), 7994)).isCloseTo(0.01, within(1e-9));
    assertThat(rule.threshold(TABLE, 1000)).isCloseTo(0.6988, within(1e-3));
  }

  @Test
  void thresholdsRiseWithTheGalleryAndTheTailIsTheLastDecadesLine() {
    FpirRule rule = new FpirRule(0.01);
    long seed = Long.getLong("tests.seed", new Random().nextLong());
    Random random = new Random(seed);
    double previous = -1;
    for (long n = 1; n < 10_000_000; n = n * (2 + random.nextInt(4)) + random.nextInt(3)) {
      double t = rule.threshold(TABLE, n);
      assertThat(t).as("n = %d (seed %d)", n, seed).isGreaterThanOrEqualTo(previous);
      previous = t;
      assertThat(FpirRule.fpirAt(TABLE, t, n)).as("fpirAt inverts threshold at n = %d (seed %d)", n, seed).isCloseTo(0.01, within(2e-4));
    }
    // beyond the last point: 0.0303 per decade, as between 1e-5 and 1e-6
    assertThat(TABLE.tailThresholdFor(1e-7)).isCloseTo(0.7594, within(1e-4));
    assertThat(TABLE.tailRateAt(0.7594)).isCloseTo(1e-7, within(1e-9));
    assertThat(TABLE.tailRateAt(0.70)).isEqualTo(TABLE.fmrAt(0.70).rate());
  }

  @Test
  void theFloorKeepsATinyGalleryAtThePacksDefault() {
    MatchPolicy p = MatchPolicy.atFpir(0.01, TABLE, 0.6204, SearchMethod.EXACT, Aggregation.MAX);
    assertThat(p.thresholdFor(1)).as("one template: FPIR 1e-2 would be FMR 1e-2").isEqualTo(0.6204);
    assertThat(p.thresholdFor(100_000)).isGreaterThan(0.74);
    assertThat(new MatchPolicy(SearchMethod.EXACT, Aggregation.MAX, 0.6204, TABLE).thresholdFor(100_000)).isEqualTo(0.6204);
    assertThatThrownBy(() -> new FpirRule(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FpirRule(1)).isInstanceOf(IllegalArgumentException.class);
  }
}
