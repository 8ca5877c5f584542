package org.likeness.spark.search;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Seeded synthetic templates with the shape of face embeddings: each identity a direction, each face
 * of it that direction plus Gaussian noise, made unit length, so two faces of one identity have an
 * expected cosine of {@code mateCosine}. Identity directions are not uniform on the sphere (real
 * embeddings are not: age, sex, ancestry and pose span a few directions): a share {@code structure}
 * of each lies in a random subspace of {@value #RANK} dimensions, the rest is isotropic; at 0.35 and
 * 128 dimensions strangers' cosines spread about 0.1, as impostor pairs of LFW do. At 0 the
 * identities are uniform, the worst case for any partitioning. Generated on the executors, partition by partition: a million templates
 * never pass through the driver.
 */
public record SyntheticFaces(int dimension, long identities, double mateCosine, double structure, long seed) implements Serializable {
  /** Dimensions of the subspace that holds the structured share of identity directions. */
  public static final int RANK = 16;

  public SyntheticFaces {
    if (dimension < RANK || identities < 1 || !(mateCosine > 0 && mateCosine < 1) || !(structure >= 0 && structure <= 1)) {
      throw new IllegalArgumentException("dimension >= " + RANK + ", identities >= 1, 0 < mateCosine < 1 and 0 <= structure <= 1");
    }
  }

  /** The direction of {@code identity}. */
  float[] centre(long identity) {
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + identity);
    if (structure == 0) { // uniform: no subspace to draw (RANK x dimension draws a face otherwise)
      float[] v = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        v[d] = (float) r.nextGaussian();
      }
      return unit(v);
    }
    Random basis = new Random(seed);
    double[] z = new double[RANK];
    for (int k = 0; k < RANK; k++) {
      z[k] = r.nextGaussian();
    }
    float[] low = new float[dimension], iso = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      double x = 0;
      for (int k = 0; k < RANK; k++) {
        x += basis.nextGaussian() * z[k]; // the same random basis for every identity (same seed)
      }
      low[d] = (float) x;
      iso[d] = (float) r.nextGaussian();
    }
    unit(low);
    unit(iso);
    float a = (float) Math.sqrt(structure), b = (float) Math.sqrt(1 - structure);
    float[] v = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      v[d] = a * low[d] + b * iso[d];
    }
    return unit(v);
  }

  /** Face number {@code draw} of {@code identity}. */
  public float[] face(long identity, long draw) {
    float[] c = centre(identity);
    SplittableRandom r = new SplittableRandom(seed ^ (identity * 0xBF58476D1CE4E5B9L) ^ (draw * 0x94D049BB133111EBL));
    double sigma = Math.sqrt((1 / mateCosine - 1) / dimension);
    float[] v = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      v[d] = c[d] + (float) (sigma * gaussian(r));
    }
    return unit(v);
  }

  /** {@code n} enrolled faces, identity {@code i % identities}, face {@code i / identities} of it; face id = i, subject = identity. */
  public JavaRDD<FaceVector> gallery(JavaSparkContext jsc, long n, int partitions) {
    return ranges(jsc, n, partitions).flatMap(range -> {
      List<FaceVector> out = new ArrayList<>();
      for (long i = range[0]; i < range[1]; i++) {
        out.add(new FaceVector(i, i % identities, face(i % identities, i / identities)));
      }
      return out.iterator();
    });
  }

  /**
   * {@code n} probes, id j: even j a new face of an enrolled identity (a mate), odd j a stranger (an
   * identity with no enrolled face).
   */
  public JavaRDD<FaceVector> probes(JavaSparkContext jsc, long n, int partitions) {
    return ranges(jsc, n, partitions).flatMap(range -> {
      List<FaceVector> out = new ArrayList<>();
      for (long j = range[0]; j < range[1]; j++) {
        out.add(probe(j));
      }
      return out.iterator();
    });
  }

  /** Probe {@code j} (see {@link #probes}). */
  public FaceVector probe(long j) {
    long identity = j % 2 == 0 ? Math.floorMod(j * 7919L, identities) : identities + j;
    return new FaceVector(j, identity, face(identity, 1_000_000L + j));
  }

  private static JavaRDD<long[]> ranges(JavaSparkContext jsc, long n, int partitions) {
    List<long[]> r = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      r.add(new long[] {n * p / partitions, n * (p + 1) / partitions});
    }
    return jsc.parallelize(r, partitions);
  }

  private static double gaussian(SplittableRandom r) {
    double u = r.nextDouble(), v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  private static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float inv = (float) (1 / Math.sqrt(n));
    for (int d = 0; d < v.length; d++) {
      v[d] *= inv;
    }
    return v;
  }
}
