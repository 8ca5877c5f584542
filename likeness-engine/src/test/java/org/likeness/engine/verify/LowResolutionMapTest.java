package org.likeness.engine.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LowResolutionMapTest {
  private static final long SEED = Long.getLong("tests.seed", new Random().nextLong());

  @Test
  void choleskySolvesASymmetricPositiveDefiniteSystem() {
    Random rnd = new Random(SEED);
    int d = 12;
    double[] b = new double[d * d], a = new double[d * d], x = new double[d * d];
    for (int i = 0; i < d * d; i++) {
      b[i] = rnd.nextGaussian();
      x[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < d; i++) { // a = bᵀb + I
      for (int j = 0; j < d; j++) {
        double s = i == j ? 1 : 0;
        for (int k = 0; k < d; k++) {
          s += b[k * d + i] * b[k * d + j];
        }
        a[i * d + j] = s;
      }
    }
    double[] rhs = multiply(a, x, d);
    double[] solved = LowResolutionMap.solve(a, rhs, d);
    for (int i = 0; i < d * d; i++) {
      assertEquals(x[i], solved[i], 1e-8, "seed " + SEED);
    }
  }

  @Test
  void learnsBackAKnownDistortion() {
    Random rnd = new Random(SEED);
    int d = 16, n = 3000;
    double[] distortion = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        distortion[i * d + j] = (i == j ? 1 : 0) + 0.4 * rnd.nextGaussian();
      }
    }
    List<float[]> clean = new ArrayList<>(), degraded = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      float[] c = unit(rnd, d);
      clean.add(c);
      float[] x = new float[d];
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int i = 0; i < d; i++) {
          s += c[i] * distortion[i * d + j];
        }
        x[j] = (float) (s + 0.01 * rnd.nextGaussian());
      }
      degraded.add(normalize(x));
    }
    LowResolutionMap map = LowResolutionMap.learn(degraded, clean, 1e-3);
    double before = 0, after = 0;
    for (int k = 0; k < n; k++) {
      before += dot(degraded.get(k), clean.get(k));
      after += dot(map.apply(degraded.get(k)), clean.get(k));
    }
    assertTrue(after / n > 0.95 && after > before + 0.2 * n, "seed " + SEED + ": mean cosine " + before / n + " -> " + after / n);
  }

  @Test
  void heavyShrinkageLeavesTemplatesAsTheyAre() {
    Random rnd = new Random(SEED);
    List<float[]> x = List.of(unit(rnd, 8), unit(rnd, 8), unit(rnd, 8));
    List<float[]> c = List.of(unit(rnd, 8), unit(rnd, 8), unit(rnd, 8));
    LowResolutionMap map = LowResolutionMap.learn(x, c, 1e9);
    float[] probe = unit(rnd, 8), mapped = map.apply(probe);
    for (int i = 0; i < 8; i++) {
      assertEquals(probe[i], mapped[i], 1e-6);
    }
  }

  @Test
  void refusesMismatchedRowsAndShapes() {
    assertThrows(IllegalArgumentException.class, () -> LowResolutionMap.learn(List.of(new float[2]), List.of(), 1));
    assertThrows(IllegalArgumentException.class, () -> new LowResolutionMap(3, new double[8]));
  }

  static float[] unit(Random rnd, int d) {
    float[] v = new float[d];
    for (int i = 0; i < d; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return normalize(v);
  }

  static float[] normalize(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f * f;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(s);
    }
    return v;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] multiply(double[] a, double[] b, int d) {
    double[] out = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += a[i * d + k] * b[k * d + j];
        }
        out[i * d + j] = s;
      }
    }
    return out;
  }
}
