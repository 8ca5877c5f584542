package org.likeness.gallery.store;

import java.time.Instant;

/**
 * A gallery: a named set of subjects, pinned to the model pack its templates were made with.
 *
 * @param keepCrops whether enrolment keeps each face's aligned crop for reviewers (off by default: data minimisation)
 */
public record GalleryInfo(long id, String name, String packId, int dimension, Instant created, boolean keepCrops) {}
