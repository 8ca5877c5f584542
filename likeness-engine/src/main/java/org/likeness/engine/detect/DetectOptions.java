package org.likeness.engine.detect;

/**
 * Detector settings.
 *
 * @param minFaceSize smallest face width, in original-image pixels, the search is sized for; smaller
 *     values add finer pyramid levels (more tiles, more time)
 * @param scoreThreshold minimum detector confidence
 * @param nmsIou overlap above which the weaker of two boxes is dropped
 * @param maxFaces most faces returned (the highest-scoring ones)
 */
public record DetectOptions(double minFaceSize, float scoreThreshold, float nmsIou, int maxFaces) {

  public DetectOptions {
    if (!(minFaceSize > 0) || !(scoreThreshold > 0 && scoreThreshold < 1) || !(nmsIou > 0 && nmsIou <= 1) || maxFaces <= 0) {
      throw new IllegalArgumentException("invalid detect options: " + minFaceSize + ", " + scoreThreshold + ", " + nmsIou + ", " + maxFaces);
    }
  }

  /** The options a command asks of a pack's detector: its score threshold unless {@code score} is given, faces from {@code minFaceSize} px. */
  public static DetectOptions forDetector(org.likeness.engine.model.DetectorSpec detector, Float score, double minFaceSize) {
    return defaults(score != null ? score : detector.scoreThreshold(), detector.nmsIou()).withMinFaceSize(minFaceSize);
  }

  /** The defaults for a detector whose pack suggests these thresholds: 40 px faces, up to 1000 faces. */
  public static DetectOptions defaults(float scoreThreshold, float nmsIou) {
    return new DetectOptions(40, scoreThreshold, nmsIou, 1000);
  }

  public DetectOptions withMinFaceSize(double px) {
    return new DetectOptions(px, scoreThreshold, nmsIou, maxFaces);
  }

  public DetectOptions withScoreThreshold(float t) {
    return new DetectOptions(minFaceSize, t, nmsIou, maxFaces);
  }
}
