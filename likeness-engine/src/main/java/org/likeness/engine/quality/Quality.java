package org.likeness.engine.quality;

import java.util.List;

/**
 * Quality measurements of one face and the verdict against {@link QualityLimits}.
 *
 * @param score detector confidence
 * @param interOcular distance between eye centres, pixels
 * @param sharpness variance of the Laplacian of the aligned 112x112 grey crop (higher is sharper)
 * @param yaw estimated yaw in degrees, positive when the nose points to the image's right
 * @param roll in-plane rotation in degrees, positive when the right-hand eye is lower
 * @param outside fraction of the aligned crop that lies outside the image
 * @param passed whether every limit holds
 * @param reasons one line per failed limit, empty when passed
 */
public record Quality(double score, double interOcular, double sharpness, double yaw, double roll, double outside, boolean passed,
    List<String> reasons) implements java.io.Serializable {

  public Quality {
    reasons = List.copyOf(reasons);
  }
}
