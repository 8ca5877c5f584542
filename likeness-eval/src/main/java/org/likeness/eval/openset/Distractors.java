package org.likeness.eval.openset;

import java.util.Random;
import org.likeness.eval.calibrate.EmbeddedSet;

/**
 * Synthetic distractor templates, for galleries larger than any labelled set: identities drawn from
 * a Gaussian fitted to the set's identity means (mean and per-dimension spread), each given the
 * within-identity spread of a real photo, then normalised. A stand-in, not a face: how closely its
 * impostor scores follow real ones is measured beside every use ({@code eval openset} reports the
 * false-match rate of real photos against distractors at the pack's thresholds).
 */
final class Distractors {
  private final float[] mean;
  private final float[] between;
  private final float[] within;
  private final Random random;

  Distractors(EmbeddedSet set, long seed) {
    int dim = set.embeddings()[0].length;
    int people = set.identities().size();
    double[][] centre = new double[people][dim];
    int[] count = new int[people];
    for (int p = 0; p < set.paths().size(); p++) {
      int id = set.identity()[p];
      count[id]++;
      for (int d = 0; d < dim; d++) {
        centre[id][d] += set.embeddings()[p][d];
      }
    }
    for (int id = 0; id < people; id++) {
      for (int d = 0; d < dim; d++) {
        centre[id][d] /= Math.max(1, count[id]);
      }
    }
    mean = new float[dim];
    between = new float[dim];
    within = new float[dim];
    for (int d = 0; d < dim; d++) {
      double m = 0;
      for (int id = 0; id < people; id++) {
        m += centre[id][d];
      }
      m /= people;
      double v = 0;
      for (int id = 0; id < people; id++) {
        v += (centre[id][d] - m) * (centre[id][d] - m);
      }
      double w = 0;
      int wn = 0;
      for (int p = 0; p < set.paths().size(); p++) {
        int id = set.identity()[p];
        if (count[id] >= 2) {
          double x = set.embeddings()[p][d] - centre[id][d];
          w += x * x * count[id] / (count[id] - 1.0); // unbiased within a small group
          wn++;
        }
      }
      mean[d] = (float) m;
      between[d] = (float) Math.sqrt(v / people);
      within[d] = (float) Math.sqrt(wn == 0 ? 0 : w / wn);
    }
    random = new Random(seed ^ 0x5DEECE66DL);
  }

  /** {@code n} unit-length distractor templates. */
  float[][] sample(int n) {
    int dim = mean.length;
    float[][] out = new float[n][dim];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        float v = (float) (mean[d] + random.nextGaussian() * between[d] + random.nextGaussian() * within[d]);
        out[i][d] = v;
        norm += v * v;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < dim; d++) {
        out[i][d] *= inv;
      }
    }
    return out;
  }
}
