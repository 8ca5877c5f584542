package org.likeness.engine.model;

import java.nio.file.Path;

/**
 * A verified set of models that work together: detector, 68-point landmarks, recogniser.
 * Embeddings from different packs are not comparable, so the pack id travels with every template,
 * and a released pack never changes what it computes: a fix ships as a new pack, and the old one
 * names it in {@code supersededBy} (empty when current) so that galleries made with it still open.
 */
public record ModelPack(
    String id,
    String version,
    String licence,
    String origin,
    String supersededBy,
    Path dir,
    DetectorSpec detector,
    ModelSpec landmarks,
    RecognizerSpec recognizer) {}
