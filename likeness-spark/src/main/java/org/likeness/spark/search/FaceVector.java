package org.likeness.spark.search;

import java.io.Serializable;

/** One enrolled template: its face id, its subject and the unit vector. */
public record FaceVector(long face, long subject, float[] template) implements Serializable {}
