package org.likeness.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.engine.Fixtures;

/** Reading rates off a measured table: exact at its points, monotone between, a bound beyond, never extrapolated. */
class FmrTableTest {
  private static final FmrTable TABLE = new FmrTable(List.of(new FmrTable.Point(1, -1), new FmrTable.Point(1e-1, 0.14),
      new FmrTable.Point(1e-2, 0.25), new FmrTable.Point(1e-3, 0.35), new FmrTable.Point(1e-6, 0.59)), 87_000_000, "test");

  @Test
  void exactAtPointsMonotoneBetweenBoundBeyond() {
    assertThat(TABLE.fmrAt(0.25).rate()).isCloseTo(1e-2, within(1e-12));
    assertThat(TABLE.fmrAt(0.35).rate()).isCloseTo(1e-3, within(1e-12));
    assertThat(TABLE.fmrAt(0.30).rate()).isBetween(1e-3, 1e-2);
    Fmr beyond = TABLE.fmrAt(0.9);
    assertThat(beyond.below()).isTrue();
    assertThat(beyond.json()).isEqualTo("<1e-6");
    assertThat(TABLE.fmrAt(-2).rate()).isEqualTo(1.0);
    Random rnd = new Random(5);
    double prevScore = -1, prevRate = 1;
    for (int i = 0; i < 1000; i++) {
      double s = prevScore + rnd.nextDouble() * 0.002;
      double r = TABLE.fmrAt(s).rate();
      assertThat(r).as("score " + s).isLessThanOrEqualTo(prevRate);
      prevScore = s;
      prevRate = r;
    }
  }

  @Test
  void thresholdForInvertsFmrAt() {
    for (double rate : new double[] {0.5, 1e-1, 3e-2, 1e-3, 2e-5}) {
      double t = TABLE.thresholdFor(rate);
      assertThat(TABLE.fmrAt(t).rate()).as("rate " + rate).isCloseTo(rate, within(rate * 1e-6));
    }
    assertThat(TABLE.thresholdFor(1e-6)).isEqualTo(0.59);
    assertThatThrownBy(() -> TABLE.thresholdFor(1e-7)).hasMessageContaining("measured");
    assertThatThrownBy(() -> new FmrTable(List.of(new FmrTable.Point(1, 0.5), new FmrTable.Point(0.1, 0.2)), 1, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultPackIsCalibratedAndItsThresholdIsItsStatedRate() {
    var rec = Fixtures.pack().recognizer();
    assertThat(rec.calibration()).isNotNull();
    assertThat(rec.calibration().impostorPairs()).isGreaterThan(80_000_000L);
    assertThat(rec.calibration().minRate()).isEqualTo(1e-6);
    assertThat(rec.calibration().fmrAt(rec.threshold()).rate()).isCloseTo(1e-3, within(1e-4));
  }
}
