package org.likeness.gallery.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.store.StoreException;
import org.likeness.gallery.store.StoredJson;

/**
 * A sighting's stored decision, version 1: {@code {"decision","candidates","threshold","fpirTarget",
 * "floor","smallFaceFrames"?,"top","aggregation","v"}}: the contract's decision and candidates (each candidate with the enrolled
 * face it matched), and the rule it was decided by, so that a later change of the gallery can
 * decide it again by the same rule. Decisions stored before the rule was kept re-decide by the
 * pack's default.
 */
public record StoredDecision(JsonNode node) {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The format's version, written into every decision. */
  public static final int VERSION = 1;

  /** The JSON of a decision made now by {@code policy}, keeping {@code top} candidates. */
  public static String json(Identification id, MatchPolicy policy, int top) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision", Shapes.decision(id));
    m.put("candidates", Shapes.candidatesWithFaces(id));
    m.put("threshold", Double.isNaN(id.threshold()) ? policy.threshold() : id.threshold());
    m.put("fpirTarget", policy.fpir()); // null: a fixed threshold; else re-decided at the gallery's size
    m.put("floor", policy.threshold());
    if (id.smallFace() != null && id.smallFace().frames() > 1) {
      m.put("smallFaceFrames", id.smallFace().frames()); // decided as a track's small face: on the tracks' calibration again
    }
    m.put("top", top);
    m.put("aggregation", policy.aggregation().name());
    m.put("v", VERSION);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a stored decision; refuses one of a newer format than {@link #VERSION} (written by a newer release). */
  public static StoredDecision read(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      StoredJson.check(n.get("v"), VERSION, "decision");
      return new StoredDecision(n);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored decision is not JSON: " + e.getMessage(), e);
    }
  }

  /** The subject decided, or null (unknown). */
  public String subject() {
    return node.path("decision").path("subject").asText(null);
  }

  /** The track whose name this one carries (linked as the same person), or null: decided on its own. */
  public Integer carriedFrom() {
    JsonNode c = node.path("decision").path("carriedFrom");
    return c.isInt() ? c.asInt() : null;
  }

  /** The threshold it was decided at, or {@code fallback} for a decision stored before thresholds were kept. */
  public double threshold(double fallback) {
    return node.path("threshold").isNumber() ? node.path("threshold").asDouble() : fallback;
  }

  /** The FPIR target it was decided for, or null (a fixed threshold). */
  public Double fpirTarget() {
    return node.path("fpirTarget").isNumber() ? node.path("fpirTarget").asDouble() : null;
  }

  /**
   * The rule to decide it again by: its FPIR target (with its floor) at the gallery's size now,
   * or its fixed threshold; {@code fallback} is the pack's default for decisions stored before rules were kept.
   */
  public MatchPolicy rule(org.likeness.engine.verify.FmrTable calibration, double fallback) {
    return rule(calibration, null, fallback);
  }

  /**
   * As {@link #rule(org.likeness.engine.verify.FmrTable, double)}, with the pack's small-face rule:
   * a decision made of a small face ({@link #smallFace}) is decided again as one, on its stored width.
   */
  public MatchPolicy rule(org.likeness.engine.verify.FmrTable calibration, org.likeness.engine.verify.SmallFaces smallFaces,
      double fallback) {
    Double target = fpirTarget();
    MatchPolicy rule;
    if (target != null && calibration != null) {
      double floor = node.path("floor").isNumber() ? node.path("floor").asDouble() : fallback;
      rule = MatchPolicy.atFpir(target, calibration, floor, org.likeness.gallery.search.SearchMethod.EXACT, aggregation());
    } else {
      double fixed = smallFace() != null && node.path("floor").isNumber() ? node.path("floor").asDouble() : threshold(fallback);
      rule = new MatchPolicy(org.likeness.gallery.search.SearchMethod.EXACT, aggregation(), fixed, calibration);
    }
    return smallFace() == null ? rule : rule.withSmallFaces(smallFaces);
  }

  /** The face width a small face was decided at, or null: decided as any face. */
  public Double smallFace() {
    JsonNode w = node.path("decision").path("smallFace");
    return w.isNumber() ? w.asDouble() : null;
  }

  /** The width to decide it again at: its small-face width, else NaN (decided as any face, whatever its size). */
  public double width() {
    return smallFace() == null ? Double.NaN : smallFace();
  }

  /**
   * The size to decide it again at: its small-face width and the frames it was seen in (one for a
   * photo, and for a small track decided before tracks had a calibration of their own), else of
   * unknown width (decided as any face, whatever its size).
   */
  public org.likeness.engine.verify.FaceSize size() {
    return new org.likeness.engine.verify.FaceSize(width(), Math.max(1, node.path("smallFaceFrames").asInt(1)));
  }

  /** The score of its best candidate, or negative infinity without one. */
  public double bestScore() {
    JsonNode c = node.path("candidates");
    return c.isEmpty() ? Double.NEGATIVE_INFINITY : c.get(0).path("score").asDouble();
  }

  /** How many candidates were asked for (5 before this was kept). */
  public int top() {
    return node.path("top").isInt() ? node.path("top").asInt() : Math.max(5, node.path("candidates").size());
  }

  /** The per-subject aggregation it was decided with (MAX before this was kept). */
  public Aggregation aggregation() {
    return node.path("aggregation").isTextual() ? Aggregation.valueOf(node.path("aggregation").asText()) : Aggregation.MAX;
  }

  /**
   * The decision for a person to read: the name with its score (and FMR), or why nobody was
   * named: the closest subject, its score against the threshold, and the quality reasons of the
   * face ({@code qualityJson}: the stored quality, its {@code reasons}; may be null).
   */
  public String explain(String qualityJson) {
    Double small = smallFace();
    return small == null ? reason(qualityJson)
        : reason(qualityJson) + String.format(java.util.Locale.ROOT, "; small face (%.1f px): decided on the small-face calibration", small);
  }

  private String reason(String qualityJson) {
    JsonNode d = node.path("decision");
    String fmr = d.path("fmr").isMissingNode() || d.path("fmr").isNull() ? "" : ", FMR " + d.path("fmr").asText();
    if (subject() != null) {
      return String.format(java.util.Locale.ROOT, "%s %.3f%s", subject(), d.path("score").asDouble(), fmr) + (carriedFrom() == null ? ""
          : String.format(java.util.Locale.ROOT, ", carried from track %d (linked at %.3f)", carriedFrom(), d.path("link").asDouble()));
    }
    if (d.path("ambiguous").isArray() && d.path("ambiguous").size() == 2) {
      JsonNode c = node.path("candidates");
      return String.format(java.util.Locale.ROOT, "ambiguous: %s %.3f or %s %.3f, too close to tell apart", d.path("ambiguous").get(0).asText(),
          c.path(0).path("score").asDouble(), d.path("ambiguous").get(1).asText(), c.path(1).path("score").asDouble());
    }
    StringBuilder sb = new StringBuilder("unknown");
    JsonNode closest = node.path("candidates").size() == 0 ? null : node.path("candidates").get(0);
    if (closest == null) {
      sb.append(": nobody enrolled to compare with");
    } else {
      sb.append(String.format(java.util.Locale.ROOT, ": closest %s %.3f", closest.path("subject").asText(),
          closest.path("score").asDouble()));
      if (node.path("threshold").isNumber()) {
        sb.append(String.format(java.util.Locale.ROOT, " < threshold %.3f", node.path("threshold").asDouble()));
      }
    }
    List<String> reasons = qualityReasons(qualityJson);
    if (!reasons.isEmpty()) {
      sb.append("; quality: ").append(String.join(", ", reasons));
    }
    return sb.toString();
  }

  /** The decision in a few characters, for a label burnt into video: {@code obama 0.71}, or {@code unknown (biden 0.31<0.42)}. */
  public String shortLabel() {
    JsonNode d = node.path("decision");
    if (subject() != null) {
      return String.format(java.util.Locale.ROOT, "%s %.2f", subject(), d.path("score").asDouble())
          + (carriedFrom() == null ? "" : " (from #" + carriedFrom() + ")");
    }
    if (d.path("ambiguous").isArray() && d.path("ambiguous").size() == 2) {
      return "ambiguous (" + d.path("ambiguous").get(0).asText() + " / " + d.path("ambiguous").get(1).asText() + ")";
    }
    JsonNode closest = node.path("candidates").size() == 0 ? null : node.path("candidates").get(0);
    if (closest == null) {
      return "unknown";
    }
    return String.format(java.util.Locale.ROOT, "unknown (%s %.2f%s)", closest.path("subject").asText(), closest.path("score").asDouble(),
        node.path("threshold").isNumber() ? String.format(java.util.Locale.ROOT, "<%.2f", node.path("threshold").asDouble()) : "");
  }

  /** The reasons a stored quality gives for failing (empty when it passed, or was not stored). */
  public static List<String> qualityReasons(String qualityJson) {
    List<String> out = new ArrayList<>();
    if (qualityJson == null) {
      return out;
    }
    try {
      JSON.readTree(qualityJson).path("reasons").forEach(r -> out.add(r.asText()));
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored quality is not JSON: " + e.getMessage(), e);
    }
    return out;
  }

  /** Every subject it names: its decision, the runners-up of an ambiguous one, and its candidates. */
  public java.util.Set<String> names() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    if (subject() != null) {
      out.add(subject());
    }
    for (JsonNode a : node.path("decision").path("ambiguous")) {
      if (a.isTextual()) {
        out.add(a.asText());
      }
    }
    for (JsonNode c : node.path("candidates")) {
      if (c.path("subject").isTextual()) {
        out.add(c.path("subject").asText());
      }
    }
    return out;
  }

  /** Whether {@code subject} is its decision or one of its candidates. */
  public boolean mentions(String subject) {
    return subject != null && names().contains(subject);
  }

  /** Whether a candidate matched the enrolled face {@code faceId}. */
  public boolean matchedFace(long faceId) {
    for (JsonNode c : node.path("candidates")) {
      if (c.path("face").asLong(-1) == faceId) {
        return true;
      }
    }
    return false;
  }

  /**
   * The score a new enrolled face must pass to change this decision: that of the last candidate of
   * a full list (minus the rounding of stored scores), else any score (the list has room). To be
   * decided a face must first be a candidate, so the threshold does not lower this bar.
   */
  public double entryScore() {
    JsonNode cands = node.path("candidates");
    return cands.size() < top() ? Double.NEGATIVE_INFINITY : cands.get(cands.size() - 1).path("score").asDouble() - 1e-4;
  }
}
