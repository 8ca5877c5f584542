package org.likeness.eval.openset;

import java.util.Random;
import org.likeness.eval.calibrate.EmbeddedSet;

/**
 * Synthetic distractor templates, for galleries larger than any labelled set: identities drawn from
 * a Gaussian fitted to the set's identity means (full covariance), each given a within-identity
 * deviation drawn from the set's within-identity covariance, then normalised. A stand-in, not a
 * face: how closely its impostor scores follow real ones is measured beside every use
 * ({@code eval openset} reports the false-match rate of real photos against distractors at the
 * pack's calibrated thresholds).
 */
public final class Distractors {
  private final double[] mean;
  private final double[][] between; // lower Cholesky factor of the identity means' covariance
  private final double[][] within; // lower Cholesky factor of the within-identity covariance
  private final Random random;

  /** Fitted to {@code set}; {@code seed} makes the draws replayable. */
  public Distractors(EmbeddedSet set, long seed) {
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
    mean = new double[dim];
    for (int id = 0; id < people; id++) {
      for (int d = 0; d < dim; d++) {
        mean[d] += centre[id][d] / people;
      }
    }
    double[][] b = new double[dim][dim];
    for (int id = 0; id < people; id++) {
      addOuter(b, centre[id], mean, 1.0 / people);
    }
    double[][] w = new double[dim][dim];
    int groups = 0;
    for (int p = 0; p < set.paths().size(); p++) {
      groups += count[set.identity()[p]] >= 2 ? 1 : 0;
    }
    for (int p = 0; p < set.paths().size(); p++) {
      int id = set.identity()[p];
      if (count[id] >= 2) {
        double[] x = new double[dim];
        for (int d = 0; d < dim; d++) {
          x[d] = set.embeddings()[p][d];
        }
        addOuter(w, x, centre[id], count[id] / (count[id] - 1.0) / groups);
      }
    }
    between = cholesky(b);
    within = cholesky(w);
    random = new Random(seed ^ 0x5DEECE66DL);
  }

  private static void addOuter(double[][] acc, double[] x, double[] mu, double weight) {
    int dim = mu.length;
    for (int i = 0; i < dim; i++) {
      double xi = x[i] - mu[i];
      for (int j = 0; j <= i; j++) {
        acc[i][j] += weight * xi * (x[j] - mu[j]);
      }
    }
  }

  /** The lower factor L of {@code a} (lower triangle read) with L L^T = a + ridge. */
  private static double[][] cholesky(double[][] a) {
    int n = a.length;
    double trace = 0;
    for (int i = 0; i < n; i++) {
      trace += a[i][i];
    }
    double ridge = 1e-6 * trace / n;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i][j] + (i == j ? ridge : 0);
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        l[i][j] = i == j ? Math.sqrt(Math.max(sum, ridge)) : sum / l[j][j];
      }
    }
    return l;
  }

  /** {@code n} unit-length distractor templates. */
  public float[][] sample(int n) {
    int dim = mean.length;
    float[][] out = new float[n][dim];
    double[] zb = new double[dim];
    double[] zw = new double[dim];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dim; d++) {
        zb[d] = random.nextGaussian();
        zw[d] = random.nextGaussian();
      }
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        double v = mean[d];
        for (int k = 0; k <= d; k++) {
          v += between[d][k] * zb[k] + within[d][k] * zw[k];
        }
        out[i][d] = (float) v;
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
