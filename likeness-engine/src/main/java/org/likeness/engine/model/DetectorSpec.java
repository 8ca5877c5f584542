package org.likeness.engine.model;

/** The detector of a pack with its default score threshold and NMS overlap. */
public record DetectorSpec(ModelSpec model, float scoreThreshold, float nmsIou) {}
