package org.likeness.gallery.store;

import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.geom.Box;

/**
 * One face a scan found: a photo's face, or a video's track with its aggregated template.
 *
 * @param number 1-based, in order of appearance within its scan (a track's number)
 * @param start first time seen in seconds; null in a photo
 * @param end last time seen in seconds; null in a photo
 * @param bestTime time of the frame that shows it best; null in a photo
 * @param box the face's box in that frame
 * @param qualityJson the quality of the best frame (JSON)
 * @param boxesJson {@code [{"time","box"}]} over the track's samples (JSON; {@code []} for a photo)
 * @param cropPng the aligned crop of the best frame
 * @param decisionJson the machine's decision and candidates against the scan's gallery (JSON), or null
 * @param verdict a reviewer's verdict on the decision, or null
 * @param link the number of the first track of the group of this video's tracks it is linked with as one person, or null
 */
public record StoredSighting(long id, long scanId, int number, Double start, Double end, int samples, Double bestTime, Box box,
    String qualityJson, String boxesJson, float[] template, byte[] cropPng, String decisionJson, Verdict verdict, Integer link) {

  /** A reviewer's word on a sighting's identity. */
  public record Verdict(String verdict, String subject, String by, java.time.Instant at) {}

  /**
   * The face width it is decided by ({@link org.likeness.engine.verify.SmallFaces#widthOf}): the
   * median of a track's stored boxes, or a photo face's box width.
   */
  public double faceWidth() {
    com.fasterxml.jackson.databind.JsonNode boxes = StoredJson.boxesOf(boxesJson);
    if (boxes.isEmpty()) { // a photo's face
      return box == null ? Double.NaN : org.likeness.engine.verify.SmallFaces.widthOf(box.width());
    }
    List<Double> widths = new ArrayList<>();
    boxes.forEach(b -> widths.add(b.path("box").path("width").asDouble()));
    return org.likeness.engine.verify.SmallFaces.widthOf(widths.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Its face width ({@link #faceWidth}) and the frames it was seen in (a track's samples; 1 for a photo's face). */
  public org.likeness.engine.verify.FaceSize faceSize() {
    return new org.likeness.engine.verify.FaceSize(faceWidth(), Math.max(1, samples));
  }

  /** Whether a reviewer rejected the name it was decided as. */
  public boolean rejected() {
    return verdict != null && "rejected".equals(verdict.verdict());
  }

  /** What a scan gives the store for one sighting (ids are the store's). */
  public record New(int number, Double start, Double end, int samples, Double bestTime, Box box, String qualityJson,
      String boxesJson, float[] template, byte[] cropPng, String decisionJson, Integer link) implements java.io.Serializable {
    /** A sighting linked to no other (a photo's face). */
    public New(int number, Double start, Double end, int samples, Double bestTime, Box box, String qualityJson,
        String boxesJson, float[] template, byte[] cropPng, String decisionJson) {
      this(number, start, end, samples, bestTime, box, qualityJson, boxesJson, template, cropPng, decisionJson, null);
    }
  }
}
