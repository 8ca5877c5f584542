/** Enrolment: one face per image, quality-gated, idempotent, in bulk from folders or CSV. */
package org.likeness.gallery.enroll;
