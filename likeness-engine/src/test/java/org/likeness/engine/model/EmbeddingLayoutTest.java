package org.likeness.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Templates from sums of fused embeddings are made part by part, as one face's embedding is. */
class EmbeddingLayoutTest {
  private static final EmbeddingLayout FUSED = new EmbeddingLayout(List.of(new EmbeddingLayout.Part(8, 0.5),
      new EmbeddingLayout.Part(4, 0.5)));

  /** A fused embedding: each part a random unit vector scaled by the square root of its weight; {@code common} adds a shared direction to the first part. */
  private static float[] embedding(Random rnd, double common) {
    float[] e = new float[12];
    double n0 = 0, n1 = 0;
    for (int d = 0; d < 12; d++) {
      e[d] = (float) (rnd.nextGaussian() + (d == 0 ? common : 0));
    }
    for (int d = 0; d < 8; d++) {
      n0 += e[d] * e[d];
    }
    for (int d = 8; d < 12; d++) {
      n1 += e[d] * e[d];
    }
    for (int d = 0; d < 12; d++) {
      e[d] *= (float) Math.sqrt(0.5 / (d < 8 ? n0 : n1));
    }
    return e;
  }

  private static double norm(float[] v, int from, int to) {
    double s = 0;
    for (int d = from; d < to; d++) {
      s += (double) v[d] * v[d];
    }
    return Math.sqrt(s);
  }

  @RepeatedTest(20)
  void eachPartKeepsItsWeightWhateverTheFacesAgreeOn() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    Random rnd = new Random(seed);
    int faces = 1 + rnd.nextInt(8);
    double[] sum = new double[12];
    for (int i = 0; i < faces; i++) {
      float[] e = embedding(rnd, 5); // the first network's embeddings agree far more than the second's
      double w = 0.1 + rnd.nextDouble();
      for (int d = 0; d < 12; d++) {
        sum[d] += w * e[d];
      }
    }
    float[] t = FUSED.template(sum);
    assertThat(norm(t, 0, 8)).as("seed " + seed).isCloseTo(Math.sqrt(0.5), within(1e-5));
    assertThat(norm(t, 8, 12)).as("seed " + seed).isCloseTo(Math.sqrt(0.5), within(1e-5));
    assertThat(norm(t, 0, 12)).isCloseTo(1, within(1e-5));
  }

  @Test
  void oneFacesTemplateIsItsEmbedding() {
    Random rnd = new Random(7);
    float[] e = embedding(rnd, 0);
    double[] sum = new double[12];
    for (int d = 0; d < 12; d++) {
      sum[d] = 3 * e[d];
    }
    float[] t = FUSED.template(sum);
    for (int d = 0; d < 12; d++) {
      assertThat(t[d]).isCloseTo(e[d], within(1e-6f));
    }
  }

  @Test
  void singleNetworkIsPlainUnitLengthAndZeroStaysZero() {
    float[] t = EmbeddingLayout.single(3).template(new double[] {3, 0, 4});
    assertThat(t).containsExactly(0.6f, 0f, 0.8f);
    assertThat(FUSED.template(new double[12])).containsOnly(0f);
    assertThatThrownBy(() -> FUSED.template(new double[11])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("11 values for embeddings of 12");
  }

  @Test
  void theDefaultPacksLayoutIsItsNetworks() {
    EmbeddingLayout l = ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK).recognizer().layout();
    assertThat(l.parts()).extracting(EmbeddingLayout.Part::dimension).containsExactly(128, 128);
    assertThat(l.dimension()).isEqualTo(256);
  }
}
