package org.likeness.gallery.enroll;

import java.nio.file.Path;

/** One image to enrol for one subject. */
public record EnrollItem(String subject, Path image) {}
