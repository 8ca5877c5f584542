package org.likeness.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IdentificationMetricsTest {

  @Test
  void rankAndOpenSetFigures() {
    // 4 mated searches: ranks 1,1,2,0 with scores .8,.5,.4,.1; 3 non-mated with top scores .3,.45,.2.
    IdentificationMetrics m = new IdentificationMetrics(new int[] {1, 1, 2, 0}, new double[] {0.8, 0.5, 0.4, 0.1},
        new double[] {0.3, 0.45, 0.2});
    assertThat(m.rank1()).isEqualTo(0.5);
    assertThat(m.cmc(2)).isEqualTo(0.75);
    assertThat(m.cmc(10)).isEqualTo(0.75);
    assertThat(m.fpir(0.3)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.fnir(0.6)).isEqualTo(0.75);
    double[] at0 = m.fnirAtFpir(0.0);
    assertThat(at0[0]).isGreaterThan(0.45);
    assertThat(at0[1]).isEqualTo(0.5); // the .8 and .5 mated hits: .5 clears a threshold just above .45
    double[] atThird = m.fnirAtFpir(1.0 / 3);
    assertThat(atThird[0]).isGreaterThan(0.3).isLessThanOrEqualTo(0.45);
    assertThat(atThird[1]).isEqualTo(0.5);
  }
}
