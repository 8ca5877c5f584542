package org.likeness.engine.model;

/**
 * The detector of a pack with its default score threshold and NMS overlap, and optionally a second
 * detector that must confirm each candidate.
 */
public record DetectorSpec(ModelSpec model, float scoreThreshold, float nmsIou, Confirm confirm) {
  /** A confirming detector ({@code detector.confirm} in the manifest) and the score it must give a candidate. */
  public record Confirm(ModelSpec model, float scoreThreshold) {}

  /** A detector without confirmation. */
  public DetectorSpec(ModelSpec model, float scoreThreshold, float nmsIou) {
    this(model, scoreThreshold, nmsIou, null);
  }
}
