package org.likeness.gallery.testing;

import java.util.Random;

/**
 * Seeded random unit templates for tests that need no model. The seed comes from
 * {@code -Dtests.seed=N} or the clock; tests put it in their assertion messages, so a failure can
 * be replayed exactly.
 */
public final class RandomTemplates {
  private final long seed;
  private final Random random;
  private final int dimension;

  public RandomTemplates(int dimension) {
    this(Long.getLong("tests.seed", System.nanoTime()), dimension);
  }

  public RandomTemplates(long seed, int dimension) {
    this.seed = seed;
    this.random = new Random(seed);
    this.dimension = dimension;
  }

  /** What to quote on failure: {@code "seed N (replay with -Dtests.seed=N)"}. */
  public String seed() {
    return "seed " + seed + " (replay with -Dtests.seed=" + seed + ")";
  }

  public Random random() {
    return random;
  }

  /** A uniformly random unit vector. */
  public float[] unit() {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return normalize(v);
  }

  /** Another "photo" of the person {@code t}: t plus noise of the given norm, renormalised. */
  public float[] near(float[] t, double noise) {
    float[] r = unit();
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) (t[i] + noise * r[i]);
    }
    return normalize(v);
  }

  private static float[] normalize(float[] v) {
    double n = 0;
    for (float f : v) {
      n += f * f;
    }
    float s = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) {
      v[i] *= s;
    }
    return v;
  }
}
