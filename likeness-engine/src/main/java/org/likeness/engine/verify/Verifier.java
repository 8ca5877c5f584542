package org.likeness.engine.verify;

/**
 * 1:1 comparison by cosine similarity of L2-normalised embeddings; a match is similarity >=
 * threshold. The default threshold comes from the pack, and with the pack's calibration each
 * answer carries its measured false-match rate (docs/BENCHMARKS.md).
 */
public final class Verifier {
  private final double threshold;
  private final FmrTable calibration;
  private final SmallFaces smallFaces;

  /** A verifier at {@code threshold}; {@code calibration} may be null (then no FMR is reported). */
  public Verifier(double threshold, FmrTable calibration) {
    this(threshold, calibration, null);
  }

  /** As {@link #Verifier(double, FmrTable)}, with how the pack decides small faces (null: as any other). */
  public Verifier(double threshold, FmrTable calibration, SmallFaces smallFaces) {
    this.smallFaces = calibration == null ? null : smallFaces;
    this.threshold = threshold;
    this.calibration = calibration;
  }

  /** The pack's measured false-match rates, or null. */
  /** How small faces are decided, or null when the pack says nothing of them (they are decided as any other). */
  public SmallFaces smallFaces() {
    return smallFaces;
  }

  public FmrTable calibration() {
    return calibration;
  }

  public double threshold() {
    return threshold;
  }

  /** Compares two embeddings. */
  public Verification verify(float[] a, float[] b) {
    double s = cosine(a, b);
    return new Verification(s, s >= threshold, threshold, calibration == null ? null : calibration.fmrAt(s));
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
