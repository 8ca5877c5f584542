package org.likeness.engine.verify;

/**
 * How a pack decides faces too small for its clean calibration: a face narrower than
 * {@code below} pixels (a photo's box, or the median box of a track) has its template carried
 * through {@code map} toward where a clean photo's would be, and its scores are read on
 * {@code calibration}, measured on such mapped faces against clean templates of other people.
 * A small face's impostor scores differ from a clean one's in both directions (lower raw, higher
 * mapped), so neither its template nor its scores may be decided on the clean calibration
 * (docs/BENCHMARKS.md, "Small faces"). A track's template averages several frames of one face,
 * which carries it nearer everyone than one photo's (its noise averages out, not its likeness to
 * faces in general): with {@code tracks} such a template is decided on that calibration, measured
 * on mapped means of several renders of each photo.
 *
 * @param tracks the calibration of mapped templates of several frames, or null: decided as photos
 */
public record SmallFaces(double below, LowResolutionMap map, FmrTable calibration, FmrTable tracks) {

  public SmallFaces {
    if (!(below > 0) || map == null || calibration == null) {
      throw new IllegalArgumentException("small faces need a width, a map and a calibration");
    }
  }

  /** A rule that decides every small face, one frame or many, on {@code calibration}. */
  public SmallFaces(double below, LowResolutionMap map, FmrTable calibration) {
    this(below, map, calibration, null);
  }

  /** The calibration a small face of {@code size} is decided on: the tracks' for a template of several frames, when there is one. */
  public FmrTable calibrationFor(FaceSize size) {
    return size.frames() > 1 && tracks != null ? tracks : calibration;
  }

  /**
   * The width a face is decided by, from its boxes' widths (one for a photo's face, one per sampled
   * frame for a track): each rounded to a hundredth of a pixel as boxes are stored, then their
   * median to a tenth (so that a stored face decides again exactly as it decided first); NaN
   * without boxes.
   */
  public static double widthOf(double... boxWidths) {
    if (boxWidths.length == 0) {
      return Double.NaN;
    }
    double[] w = new double[boxWidths.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.round(boxWidths[i] * 100) / 100.0;
    }
    java.util.Arrays.sort(w);
    int n = w.length;
    double median = n % 2 == 1 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
    return Math.round(median * 10) / 10.0;
  }

  /** Whether a face {@code width} pixels wide is decided as small (unknown widths, NaN, are not). */
  public boolean applies(double width) {
    return width > 0 && width < below;
  }
}
