package org.likeness.engine.model;

import org.likeness.engine.verify.FmrTable;

/**
 * The recogniser of a pack.
 *
 * @param template the alignment template faces are warped to ("arcface-112")
 * @param embeddingSize length of the embedding vector
 * @param threshold default cosine-similarity decision threshold for this recogniser
 * @param calibration the measured false-match rates per similarity; null when the pack has none
 */
public record RecognizerSpec(ModelSpec model, String template, int embeddingSize, double threshold, FmrTable calibration) {}
