package org.likeness.eval.metrics;

/** One operating point: accept when score >= threshold. */
public record RocPoint(double threshold, double far, double tar) {}
