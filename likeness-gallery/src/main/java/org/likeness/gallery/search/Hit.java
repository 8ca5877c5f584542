package org.likeness.gallery.search;

/** One template found by a search, with its cosine similarity to the probe. */
public record Hit(long faceId, float score) {}
