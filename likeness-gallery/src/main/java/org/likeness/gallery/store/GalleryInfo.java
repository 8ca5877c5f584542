package org.likeness.gallery.store;

import java.time.Instant;

/** A gallery: a named set of subjects, pinned to the model pack its templates were made with. */
public record GalleryInfo(long id, String name, String packId, int dimension, Instant created) {}
