package org.likeness.engine.model;

import java.nio.file.Path;

/**
 * A verified set of models that work together: detector, 68-point landmarks, recogniser.
 * Embeddings from different packs are not comparable, so the pack id travels with every template.
 */
public record ModelPack(
    String id,
    String version,
    String licence,
    String origin,
    Path dir,
    DetectorSpec detector,
    ModelSpec landmarks,
    RecognizerSpec recognizer) {}
