package org.likeness.engine.verify;

/** The outcome of comparing two faces: similarity, the threshold used, and whether it is a match. */
public record Verification(double similarity, boolean match, double threshold) {}
