package org.likeness.gallery.service;

import java.util.Map;

/**
 * The gallery service's typed answers. Each record's components, in order, are its JSON fields
 * (the shapes the CLI prints and the REST API returns, unchanged), and {@link #fields} turns one into
 * the ordered map an audit record holds, so the answer and its audit record cannot drift apart.
 */
public final class Answers {
  private static final AnswerJson JSON = new AnswerJson();

  private Answers() {}

  /** A gallery with its counts: name, pack, dimension, subjects, faces, whether enrolment keeps crops, creation time. */
  public record GallerySummary(String name, String pack, int dimension, long subjects, long faces, boolean keepCrops, String created) {
    static GallerySummary of(org.likeness.gallery.store.GalleryInfo g, long subjects, long faces) {
      return new GallerySummary(g.name(), g.packId(), g.dimension(), subjects, faces, g.keepCrops(), g.created().toString());
    }
  }

  /** A subject renamed: the subject as it now is, and the stored scan decisions rewritten for the new name. */
  public record SubjectRenamed(String name, String externalId, java.util.List<String> tags, int faces, String created,
      int scanDecisionsChanged) {}

  /** A face moved to a subject: the face, and the subject it is now in. */
  public record FaceMoved(long face, String subject, String name, String externalId, java.util.List<String> tags, int faces,
      String created) {}

  /** A gallery's crop setting changed: crops deleted when turned off. */
  public record CropsSet(String gallery, boolean keepCrops, int cropsDeleted) {}

  /** A suspect face confirmed by a person. */
  public record FaceConfirmed(long face, String subject, String review) {}

  /** One subject merged into another. */
  public record SubjectsMerged(String merged, String into, int facesMoved, int scanDecisionsChanged) {}

  /** A subject deleted, for real, with what went with it. */
  public record SubjectDeleted(String deletedSubject, int facesDeleted, int scanDecisionsChanged, int verdictsCleared) {}

  /** A face deleted, for real. */
  public record FaceDeleted(long deletedFace) {}

  /** An enrolled face as listed (never its template), with its review: {@code suspect} (kept out of decisions), {@code confirmed}, or null. */
  public record FaceListed(long id, String imageSha256, Shapes.BoxShown box, boolean hasCrop, String created, String review) {}

  /** A subject with its faces: name, external id, tags, face count, creation time, and each face. */
  public record SubjectShown(@com.fasterxml.jackson.annotation.JsonUnwrapped Shapes.SubjectListed subject,
      java.util.List<FaceListed> faceList) {}

  /** An answer's fields as an ordered map (what its audit record holds). */
  public static Map<String, Object> fields(Record answer) {
    return JSON.fields(answer);
  }
}
