package org.likeness.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VerificationMetricsTest {

  @Test
  void perfectSeparation() {
    VerificationMetrics m = new VerificationMetrics(new double[] {0.9, 0.8, 0.7, 0.1, 0.2, 0.3}, new boolean[] {true, true, true, false, false, false});
    assertThat(m.auc()).isEqualTo(1.0);
    assertThat(m.eer()).isEqualTo(0.0);
    assertThat(m.tarAtFar(0)).isEqualTo(1.0);
    assertThat(m.accuracy(0.5)).isEqualTo(1.0);
    assertThat(m.bestThreshold()[0]).isBetween(0.3, 0.7);
  }

  @Test
  void knownSmallCase() {
    // genuine 0.9 0.6 0.4, impostor 0.5 0.3 0.2.
    VerificationMetrics m = new VerificationMetrics(new double[] {0.9, 0.6, 0.4, 0.5, 0.3, 0.2},
        new boolean[] {true, true, true, false, false, false});
    // Pairs ranked: G G I G I I -> AUC = P(genuine > impostor) = 8/9.
    assertThat(m.auc()).isCloseTo(8.0 / 9, within(1e-12));
    assertThat(m.tarAtFar(0)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.tarAtFar(1.0 / 3)).isEqualTo(1.0);
    assertThat(m.accuracy(0.55)).isCloseTo(5.0 / 6, within(1e-12));
    assertThat(m.accuracy(0.45)).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(m.eer()).isCloseTo(1.0 / 3, within(1e-12));
  }

  /** AUC equals the Mann-Whitney probability that a random genuine pair outscores a random impostor pair. */
  @Test
  void aucMatchesPairwiseProbabilityOnRandomData() {
    Random rnd = new Random(5);
    for (int trial = 0; trial < 50; trial++) {
      int n = 20 + rnd.nextInt(200);
      double[] s = new double[n];
      boolean[] y = new boolean[n];
      for (int i = 0; i < n; i++) {
        y[i] = i % 3 == 0 || rnd.nextBoolean();
        s[i] = Math.round((rnd.nextGaussian() + (y[i] ? 1.2 : 0)) * 20) / 20.0; // ties on purpose
      }
      y[0] = true;
      y[1] = false;
      double wins = 0;
      int pairs = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (y[i] && !y[j]) {
            pairs++;
            wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
          }
        }
      }
      VerificationMetrics m = new VerificationMetrics(s, y);
      assertThat(m.auc()).isCloseTo(wins / pairs, within(1e-9));
      double eer = m.eer();
      assertThat(eer).isBetween(0.0, 1.0);
      assertThat(m.tarAtFar(1.0)).isEqualTo(1.0);
    }
  }

  @Test
  void kFoldUsesThresholdsFromOtherFolds() {
    double[] s = {0.9, 0.8, 0.1, 0.2, 0.85, 0.75, 0.15, 0.25};
    boolean[] y = {true, true, false, false, true, true, false, false};
    int[] fold = {0, 0, 0, 0, 1, 1, 1, 1};
    double[] acc = new VerificationMetrics(s, y).kFoldAccuracy(fold, 2);
    assertThat(acc[0]).isEqualTo(1.0);
    assertThat(acc[1]).isZero();
  }

  @Test
  void needsBothClasses() {
    assertThatThrownBy(() -> new VerificationMetrics(new double[] {0.5}, new boolean[] {true}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("impostor");
  }
}
