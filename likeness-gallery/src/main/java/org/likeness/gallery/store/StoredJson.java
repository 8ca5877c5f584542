package org.likeness.gallery.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versioned JSON the store keeps beside a subject, a face or a sighting: a subject's tags
 * ({@code {"v":1,"tags":[…]}}), a face's quality ({@code {"v":1, "passed","reasons","score",…}}) and
 * a track's boxes ({@code {"v":1,"boxes":[{"time","box"}]}}); and a cluster decision's summary
 * ({@code {"v":1, …the answer's fields}}). Written with their version; read back
 * without it, in the shapes answers have always had. Values stored before versions (a quality
 * without {@code "v"}, tags or boxes as a bare array) are version 1; a newer version is refused
 * with a message that says so, rather than misread.
 */
public final class StoredJson {
  /** The format of a stored quality. */
  public static final int QUALITY_VERSION = 1;
  /** The format of a track's stored boxes. */
  public static final int BOXES_VERSION = 1;
  /** The format of a subject's stored tags. */
  public static final int TAGS_VERSION = 1;
  /** The format of a cluster decision's stored summary. */
  public static final int SUMMARY_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredJson() {}

  /** A quality's fields as stored: {@code "v"} first. */
  public static String quality(Object fields) {
    return versioned(QUALITY_VERSION, fields);
  }

  /** A stored quality as answers show it (without its version); null for null. */
  public static JsonNode qualityOf(String stored) {
    if (stored == null) {
      return null;
    }
    return unversioned(stored, QUALITY_VERSION, "quality");
  }

  /** A subject's tags as stored. */
  public static String tags(List<String> tags) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", TAGS_VERSION);
    m.put("tags", tags == null ? List.of() : tags);
    return write(m);
  }

  /** A cluster decision's summary (its answer's fields without its number) as stored: {@code "v"} first. */
  public static String summary(Object fields) {
    return versioned(SUMMARY_VERSION, fields);
  }

  /** A stored decision summary as answers show it (without its version; stored before versions: as it is). */
  public static JsonNode summaryOf(String stored) {
    return unversioned(stored, SUMMARY_VERSION, "decision summary");
  }

  /** An object's fields with {@code "v"} first. */
  private static String versioned(int version, Object fields) {
    ObjectNode m = JSON.createObjectNode();
    m.put("v", version);
    m.setAll((ObjectNode) JSON.valueToTree(fields));
    return write(m);
  }

  /** A stored object without its version, which is checked ({@code what} names it in errors). */
  private static JsonNode unversioned(String stored, int supported, String what) {
    JsonNode n = read(stored, what);
    if (!n.isObject()) {
      throw new StoreException("a stored " + what + " is not a JSON object");
    }
    ObjectNode copy = ((ObjectNode) n).deepCopy();
    check(copy.remove("v"), supported, what);
    return copy;
  }

  /** A subject's stored tags (a bare array before versions). */
  public static List<String> tagsOf(String stored) {
    JsonNode n = read(stored, "tags");
    JsonNode tags = n;
    if (n.isObject()) {
      check(n.get("v"), TAGS_VERSION, "tags");
      tags = n.path("tags");
    }
    if (!tags.isArray()) {
      throw new StoreException("a subject's stored tags are not a JSON array");
    }
    List<String> out = new java.util.ArrayList<>();
    tags.forEach(t -> out.add(t.asText()));
    return List.copyOf(out);
  }

  /** A track's boxes ({@code [{"time","box"}]}) as stored. */
  public static String boxes(List<?> boxes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", BOXES_VERSION);
    m.put("boxes", boxes);
    return write(m);
  }

  /** A track's stored boxes as the array answers show; an empty array for null (a photo's face). */
  public static JsonNode boxesOf(String stored) {
    if (stored == null || stored.isBlank()) {
      return JSON.createArrayNode();
    }
    JsonNode n = read(stored, "boxes");
    if (n.isArray()) {
      return n; // stored before versions
    }
    check(n.get("v"), BOXES_VERSION, "boxes");
    JsonNode boxes = n.path("boxes");
    if (!boxes.isArray()) {
      throw new StoreException("a track's stored boxes have no \"boxes\" array");
    }
    return boxes;
  }

  /** Refuses a stored value whose version {@code "v"} (absent: 1) is newer than {@code supported}, naming {@code what}. */
  public static void check(JsonNode version, int supported, String what) {
    int v = version == null ? 1 : version.asInt(-1);
    if (v < 1 || v > supported) {
      throw new StoreException("a stored " + what + " has format version " + (version == null ? "?" : version.asText())
          + ", newer than this program reads (" + supported + "): open it with that program");
    }
  }

  private static JsonNode read(String stored, String what) {
    try {
      return JSON.readTree(stored);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored " + what + " is not JSON: " + e.getMessage(), e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
