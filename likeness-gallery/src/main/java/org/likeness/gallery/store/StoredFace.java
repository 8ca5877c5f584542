package org.likeness.gallery.store;

import java.time.Instant;
import org.likeness.engine.geom.Box;

/**
 * An enrolled face: its template, where it came from (sha256 of the source image, box), its quality
 * record as JSON, and the optional 112x112 crop (PNG; off by default for data minimisation).
 */
public record StoredFace(long id, long subjectId, String imageSha256, Box box, String qualityJson, float[] template,
    byte[] cropPng, Instant created) {}
