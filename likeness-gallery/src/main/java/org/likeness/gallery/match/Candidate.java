package org.likeness.gallery.match;

/**
 * A subject proposed for a probe face: its score (cosine similarity, aggregated over its templates),
 * the measured false-match rate at that score (how often a different person scores this high; null
 * without a calibration),
 * and its best-matching face, whose stored crop a reviewer can compare with the probe.
 */
public record Candidate(long subjectId, String subject, double score, org.likeness.engine.verify.Fmr fmr, long bestFaceId) {}
