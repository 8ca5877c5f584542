package org.likeness.engine.model;

/**
 * The recogniser of a pack.
 *
 * @param template the alignment template faces are warped to ("arcface-112")
 * @param embeddingSize length of the embedding vector
 * @param threshold default cosine-similarity decision threshold for this recogniser
 * @param impostors the measured impostor distribution, for FMR estimates; null when the pack has none
 */
public record RecognizerSpec(ModelSpec model, String template, int embeddingSize, double threshold,
    org.likeness.engine.verify.ImpostorModel impostors) {}
