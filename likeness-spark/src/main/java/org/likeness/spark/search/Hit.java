package org.likeness.spark.search;

import java.io.Serializable;

/** A probe's best face, and its score (cosine). */
public record Hit(long probe, long face, float score) implements Serializable {}
