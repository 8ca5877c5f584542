package org.likeness.engine.verify;

/**
 * 1:1 comparison by cosine similarity of L2-normalised embeddings; a match is similarity >=
 * threshold. The default threshold comes from the pack and is calibrated in docs/BENCHMARKS.md.
 */
public final class Verifier {
  private final double threshold;

  public Verifier(double threshold) {
    this.threshold = threshold;
  }

  public double threshold() {
    return threshold;
  }

  /** Compares two embeddings. */
  public Verification verify(float[] a, float[] b) {
    double s = cosine(a, b);
    return new Verification(s, s >= threshold, threshold);
  }

  /** Cosine similarity; for unit vectors the dot product. */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("embeddings differ in length: " + a.length + " vs " + b.length);
    }
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
