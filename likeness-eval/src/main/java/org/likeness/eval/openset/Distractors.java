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

  /** Synthetic templates and, for morphs, the two identities each was made from (-1 for a Gaussian draw). */
  public record Synthetic(float[][] vectors, int[] from, int[] with) {}

  /**
   * {@code n} morphs of two photos of two different identities, made around the set's mean face, a
   * point between two real faces (a stranger's photo is compared with it as with neither, so a search leaves out
   * the morphs of the probe's own identity).
   */
  public Synthetic morphs(EmbeddedSet set, int n) {
    int photos = set.paths().size();
    int dim = set.embeddings()[0].length;
    float[][] out = new float[n][dim];
    int[] from = new int[n];
    int[] with = new int[n];
    for (int i = 0; i < n; i++) {
      int a;
      int b;
      do {
        a = random.nextInt(photos);
        b = random.nextInt(photos);
      } while (set.identity()[a] == set.identity()[b]);
      // Morphed around the set's mean face: the two residuals' mean direction, at their mean length,
      // so a morph is as far from the mean as a real face (a plain sum sits nearer the mean, where
      // every stranger scores higher).
      double ra = 0, rb = 0, rs = 0;
      double[] sum = new double[dim];
      for (int d = 0; d < dim; d++) {
        double xa = set.embeddings()[a][d] - mean[d];
        double xb = set.embeddings()[b][d] - mean[d];
        ra += xa * xa;
        rb += xb * xb;
        sum[d] = xa + xb;
        rs += sum[d] * sum[d];
      }
      double scale = (Math.sqrt(ra) + Math.sqrt(rb)) / 2 / Math.sqrt(rs);
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        float v = (float) (mean[d] + sum[d] * scale);
        out[i][d] = v;
        norm += v * v;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < dim; d++) {
        out[i][d] *= inv;
      }
      from[i] = set.identity()[a];
      with[i] = set.identity()[b];
    }
    return new Synthetic(out, from, with);
  }

  /** {@code n} Gaussian draws, as {@link Synthetic} with no identities. */
  public Synthetic gaussian(int n) {
    int[] none = new int[n];
    java.util.Arrays.fill(none, -1);
    return new Synthetic(sample(n), none, none.clone());
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
