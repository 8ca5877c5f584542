package org.likeness.eval.degrade;

import java.util.List;

/**
 * A lever for degraded faces: a linear map that carries the template of a degraded face (small,
 * blurred, compressed) toward the template the same photo gives clean, then renormalises. Learned
 * without identities, from photos embedded both ways: ridge regression shrunk toward the identity,
 * {@code W = (XᵀX + λI)⁻¹ (XᵀC + λI)} for degraded rows X and clean rows C. Being label-free, it
 * can be learned on any photos; the study learns it on the people of the other nine folds of
 * LFW View 2, so no figure rests on a map that saw the people it is measured on.
 *
 * @param weights the map, row-major {@code dimension x dimension}: mapped = template · W
 */
public record LowResolutionMap(int dimension, double[] weights) {

  public LowResolutionMap {
    if (weights.length != (long) dimension * dimension) {
      throw new IllegalArgumentException("a " + dimension + "-d map needs " + dimension * dimension + " weights, not " + weights.length);
    }
  }

  /** The map learned from {@code degraded[i]} to {@code clean[i]}, shrunk toward the identity by {@code lambda}. */
  public static LowResolutionMap learn(List<float[]> degraded, List<float[]> clean, double lambda) {
    if (degraded.size() != clean.size() || degraded.isEmpty()) {
      throw new IllegalArgumentException("need matched rows: " + degraded.size() + " degraded, " + clean.size() + " clean");
    }
    int d = degraded.get(0).length;
    double[] gram = new double[d * d], cross = new double[d * d];
    for (int n = 0; n < degraded.size(); n++) {
      float[] x = degraded.get(n), c = clean.get(n);
      for (int i = 0; i < d; i++) {
        double xi = x[i];
        for (int j = 0; j < d; j++) {
          gram[i * d + j] += xi * x[j];
          cross[i * d + j] += xi * c[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      gram[i * d + i] += lambda;
      cross[i * d + i] += lambda;
    }
    return new LowResolutionMap(d, solve(gram, cross, d));
  }

  /** {@code template} mapped and normalised to unit length (a new array). */
  public float[] apply(float[] template) {
    int d = dimension;
    double[] out = new double[d];
    for (int i = 0; i < d; i++) {
      double xi = template[i];
      if (xi != 0) {
        for (int j = 0; j < d; j++) {
          out[j] += xi * weights[i * d + j];
        }
      }
    }
    double norm = 0;
    for (double v : out) {
      norm += v * v;
    }
    float[] mapped = new float[d];
    double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (int j = 0; j < d; j++) {
      mapped[j] = (float) (out[j] * inv);
    }
    return mapped;
  }

  /** Solves {@code A X = B} for symmetric positive definite {@code A} (Cholesky), both {@code d x d} row-major. */
  static double[] solve(double[] a, double[] b, int d) {
    double[] l = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i * d + j];
        for (int k = 0; k < j; k++) {
          s -= l[i * d + k] * l[j * d + k];
        }
        if (i == j) {
          if (!(s > 0)) {
            throw new IllegalArgumentException("the system is not positive definite (row " + i + ")");
          }
          l[i * d + i] = Math.sqrt(s);
        } else {
          l[i * d + j] = s / l[j * d + j];
        }
      }
    }
    double[] x = new double[d * d];
    for (int col = 0; col < d; col++) {
      double[] y = new double[d];
      for (int i = 0; i < d; i++) { // L y = b
        double s = b[i * d + col];
        for (int k = 0; k < i; k++) {
          s -= l[i * d + k] * y[k];
        }
        y[i] = s / l[i * d + i];
      }
      for (int i = d - 1; i >= 0; i--) { // Lᵀ x = y
        double s = y[i];
        for (int k = i + 1; k < d; k++) {
          s -= l[k * d + i] * x[k * d + col];
        }
        x[i * d + col] = s / l[i * d + i];
      }
    }
    return x;
  }
}
