package org.likeness.gallery.match;

/**
 * A subject proposed for a probe face: its score (cosine similarity, aggregated over its templates)
 * and the estimated false-match rate at that score: how often a different person scores this high.
 */
public record Candidate(long subjectId, String subject, double score, double fmr) {}
