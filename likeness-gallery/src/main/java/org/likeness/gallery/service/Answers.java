package org.likeness.gallery.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gallery service's typed answers. Each record's components, in order, are its JSON fields
 * (the shapes the CLI prints and the REST API returns, unchanged), and {@link #fields} turns one into
 * the ordered map an audit record holds, so the answer and its audit record cannot drift apart.
 */
public final class Answers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Answers() {}

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

  /** An answer's fields as an ordered map (what its audit record holds). */
  public static Map<String, Object> fields(Record answer) {
    return JSON.convertValue(answer, new TypeReference<LinkedHashMap<String, Object>>() {});
  }
}
