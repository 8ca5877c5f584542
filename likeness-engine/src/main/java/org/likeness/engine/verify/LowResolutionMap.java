package org.likeness.engine.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A lever for degraded faces: a linear map that carries the template of a degraded face (small,
 * blurred, compressed) toward the template the same photo gives clean, then renormalises. Learned
 * without identities, from photos embedded both ways: ridge regression shrunk toward the identity,
 * {@code W = (XᵀX + λI)⁻¹ (XᵀC + λI)} for degraded rows X and clean rows C. Being label-free, it
 * can be learned on any photos; the study learns it on the people of the other nine folds of
 * LFW View 2, so no figure rests on a map that saw the people it is measured on. A pack ships one
 * as a file ({@link #write}, format 1: the magic {@code LKLRMAP1}, the dimension as a
 * little-endian int, then the weights as little-endian float32, row-major).
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

  private static final byte[] MAGIC = "LKLRMAP1".getBytes(StandardCharsets.US_ASCII);

  /** Writes the map in format 1 (weights rounded to float32). */
  public void write(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + 4 * weights.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(dimension);
    for (double w : weights) {
      b.putFloat((float) w);
    }
    Files.write(file, b.array());
  }

  /** Reads a map written by {@link #write}; a file of another format or length is refused. */
  public static LowResolutionMap read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    if (all.length < MAGIC.length + 4 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
      throw new IOException(file + " is not a low-resolution map (format 1)");
    }
    ByteBuffer b = ByteBuffer.wrap(all, MAGIC.length, all.length - MAGIC.length).order(ByteOrder.LITTLE_ENDIAN);
    int d = b.getInt();
    if (d <= 0 || d > 4096 || b.remaining() != 4L * d * d) {
      throw new IOException(file + ": a " + d + "-d map needs " + 4L * d * d + " bytes of weights, not " + b.remaining());
    }
    double[] w = new double[d * d];
    for (int i = 0; i < w.length; i++) {
      w[i] = b.getFloat();
    }
    return new LowResolutionMap(d, w);
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
