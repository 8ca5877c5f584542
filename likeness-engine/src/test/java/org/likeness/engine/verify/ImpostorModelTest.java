package org.likeness.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ImpostorModelTest {

  @Test
  void normalTailValues() {
    ImpostorModel m = new ImpostorModel(0, 1, 100, "test");
    assertThat(m.fmrAt(0)).isCloseTo(0.5, within(1e-7));
    assertThat(m.fmrAt(1.6448536)).isCloseTo(0.05, within(1e-6));
    assertThat(m.fmrAt(3.0902323)).isCloseTo(1e-3, within(1e-7));
    assertThat(m.fmrAt(-1.6448536)).isCloseTo(0.95, within(1e-6));
  }

  @Test
  void thresholdInvertsFmr() {
    ImpostorModel m = new ImpostorModel(0.0027, 0.0857, 135, "fixtures");
    assertThat(m.fmrAt(0.99)).isEqualTo(ImpostorModel.MIN_FMR);
    for (double fmr : new double[] {1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6}) {
      double t = m.thresholdFor(fmr);
      assertThat(m.fmrAt(t) / fmr).isCloseTo(1.0, within(1e-3));
    }
    assertThat(m.thresholdFor(1e-3)).isCloseTo(0.0027 + 3.0902323 * 0.0857, within(1e-4));
  }
}
