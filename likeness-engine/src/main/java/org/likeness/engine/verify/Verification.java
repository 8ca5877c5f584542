package org.likeness.engine.verify;

/**
 * The outcome of comparing two faces: similarity, the threshold used, whether it is a match, and
 * the measured false-match rate at that similarity (null when the pack has no calibration).
 */
public record Verification(double similarity, boolean match, double threshold, Fmr fmr) {}
