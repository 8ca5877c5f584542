package org.likeness.engine.quality;

/**
 * Thresholds a face must meet to pass the quality check.
 *
 * @param minScore minimum detector confidence
 * @param minInterOcular minimum distance between the eye centres, original-image pixels
 * @param minSharpness minimum variance of the Laplacian of the aligned grey crop
 * @param maxYaw largest estimated |yaw| in degrees
 * @param maxRoll largest |roll| in degrees
 * @param maxOutside largest fraction of the aligned crop lying outside the image (a cut-off face)
 */
public record QualityLimits(double minScore, double minInterOcular, double minSharpness, double maxYaw, double maxRoll,
    double maxOutside) {

  /** Defaults suited to enrolment-grade faces; docs/QUALITY.md shows the fixture values they were set against. */
  public static final QualityLimits DEFAULT = new QualityLimits(0.8, 24, 40, 40, 30, 0.1);
}
