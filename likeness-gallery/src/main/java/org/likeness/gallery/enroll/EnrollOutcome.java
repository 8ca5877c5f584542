package org.likeness.gallery.enroll;

/**
 * What happened to one enrolment item.
 *
 * @param sha256 hex sha256 of the image's bytes, or null when the file could not be read
 * @param faceId the stored face, or -1
 */
public record EnrollOutcome(EnrollItem item, String sha256, Status status, long faceId, String reason) {

  /** Outcome kinds. */
  public enum Status {
    /** A new face was stored. */
    ENROLLED,
    /** This image was already enrolled for this subject (re-runs and resumes are idempotent). */
    ALREADY_ENROLLED,
    /** Not enrolled; {@code reason} says why (unreadable, no face, several faces, low quality). */
    REJECTED
  }
}
