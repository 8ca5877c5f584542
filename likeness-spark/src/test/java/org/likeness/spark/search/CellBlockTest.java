package org.likeness.spark.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** A cell's int8 pass with float re-scoring against the float answer, on seeded random cells (the seed is the repetition). */
class CellBlockTest {
  @RepeatedTest(20)
  void int8PassThenFloatFindsTheFloatBest(RepetitionInfo run) {
    Random r = new Random(run.getCurrentRepetition());
    SyntheticFaces data = new SyntheticFaces(128, 10_000, 0.6, 0.35, run.getCurrentRepetition());
    int n = 1 + r.nextInt(2_000);
    long[] ids = new long[n];
    float[][] t = new float[n][];
    for (int i = 0; i < n; i++) {
      ids[i] = 1_000L * i + r.nextInt(1_000); // not in order
      t[i] = data.face(r.nextInt(10_000), i);
    }
    CellGallery.Block b = new CellGallery.Block(ids, t);
    int same = 0;
    for (int j = 0; j < 50; j++) {
      FaceVector q = data.probe(j);
      Hit fast = CellGallery.best(b, q);
      long face = -1;
      float score = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        float s = org.apache.lucene.util.VectorUtil.dotProduct(t[i], q.template());
        if (s > score) {
          score = s;
          face = ids[i];
        }
      }
      assertThat(fast.probe()).isEqualTo(j);
      // within a few ulps: Lucene's dot product sums lanes in an order that differs between its
      // interpreted and compiled forms, so one pair can score 1 ulp apart in two calls
      assertThat(fast.score()).as("a float score of a template in the cell").isLessThanOrEqualTo(score + 1e-6f);
      same += fast.face() == face ? 1 : 0;
      if (fast.face() != face) {
        assertThat(score - fast.score()).as("int8 hides only near-ties").isLessThan(0.02f);
      }
    }
    assertThat(same).as("of 50 probes, seed " + run.getCurrentRepetition()).isGreaterThanOrEqualTo(49);
  }

  @Test
  void cellsSmallerThanTheRescoredFew() {
    SyntheticFaces data = new SyntheticFaces(128, 10, 0.6, 0.35, 3);
    for (int n = 1; n <= CellGallery.RESCORED + 1; n++) {
      long[] ids = new long[n];
      float[][] t = new float[n][];
      for (int i = 0; i < n; i++) {
        ids[i] = 10 + i;
        t[i] = data.face(i, 0);
      }
      FaceVector q = new FaceVector(7, 0, data.face(0, 5));
      Hit h = CellGallery.best(new CellGallery.Block(ids, t), q);
      assertThat(h.face()).as("the probe's own identity, " + n + " in the cell").isEqualTo(10);
    }
  }
}
