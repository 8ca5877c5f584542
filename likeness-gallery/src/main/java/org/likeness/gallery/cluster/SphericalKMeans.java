package org.likeness.gallery.cluster;

import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.apache.lucene.util.VectorUtil;

/**
 * Spherical k-means (cosine) on unit vectors: centres are the normalised means of their members.
 * Trained on a seeded sample, so the same data always gives the same cells. Used to cut many faces
 * into cells whose neighbours are searched together ({@link NeighbourGraph}).
 */
public final class SphericalKMeans {
  private final int cells;
  private final int iterations;
  private final long seed;

  /** {@code cells} centres after {@code iterations} rounds, the sample drawn from {@code seed}. */
  public SphericalKMeans(int cells, int iterations, long seed) {
    if (cells < 1 || iterations < 0) {
      throw new IllegalArgumentException("cells >= 1 and iterations >= 0");
    }
    this.cells = cells;
    this.iterations = iterations;
    this.seed = seed;
  }

  /** The centres of {@code e} (unit vectors), trained on at most {@code sample} of them. */
  public float[][] train(float[][] e, int sample, ForkJoinPool pool) {
    int n = e.length;
    int dim = e[0].length;
    int k = Math.min(cells, n);
    Random rnd = new Random(seed);
    int[] pick = sample(n, Math.max(k, Math.min(sample, n)), rnd);
    float[][] centre = new float[k][];
    for (int c = 0; c < k; c++) {
      centre[c] = e[pick[c]].clone(); // pick is a random permutation prefix: distinct starting points
    }
    int[] owner = new int[pick.length];
    for (int it = 0; it < iterations; it++) {
      float[][] current = centre;
      run(pool, () -> IntStream.range(0, pick.length).parallel().forEach(i -> owner[i] = nearest(current, e[pick[i]])));
      float[][] sum = new float[k][dim];
      int[] count = new int[k];
      for (int i = 0; i < pick.length; i++) {
        float[] v = e[pick[i]];
        float[] s = sum[owner[i]];
        for (int d = 0; d < dim; d++) {
          s[d] += v[d];
        }
        count[owner[i]]++;
      }
      float[][] next = new float[k][];
      for (int c = 0; c < k; c++) {
        // An emptied cell restarts at a random sample point rather than vanish: the cell count stays as asked.
        next[c] = count[c] == 0 ? e[pick[rnd.nextInt(pick.length)]].clone() : unit(sum[c]);
      }
      centre = next;
    }
    return centre;
  }

  /** Index of the centre most similar to {@code v}. */
  public static int nearest(float[][] centre, float[] v) {
    int best = 0;
    float bestScore = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < centre.length; c++) {
      float s = VectorUtil.dotProduct(centre[c], v);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    return best;
  }

  /** The {@code probes} centres most similar to {@code v}, best first. */
  public static int[] nearest(float[][] centre, float[] v, int probes) {
    int p = Math.min(probes, centre.length);
    int[] id = new int[p];
    float[] score = new float[p];
    int count = 0;
    for (int c = 0; c < centre.length; c++) {
      float s = VectorUtil.dotProduct(centre[c], v);
      if (count < p || s > score[p - 1]) {
        count = NeighbourGraph.insert(id, score, count, c, s);
      }
    }
    return id;
  }

  private static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float inv = n == 0 ? 0 : (float) (1 / Math.sqrt(n));
    for (int d = 0; d < v.length; d++) {
      v[d] *= inv;
    }
    return v;
  }

  /** The first {@code m} of a seeded shuffle of [0, n). */
  private static int[] sample(int n, int m, Random rnd) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < m; i++) {
      int j = i + rnd.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return java.util.Arrays.copyOf(all, m);
  }

  static void run(ForkJoinPool pool, Runnable task) {
    try {
      pool.submit(task).get();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", ex);
    } catch (ExecutionException ex) {
      throw ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException(ex.getCause());
    }
  }
}
