package org.likeness.gallery.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Edits of a stored decision ({@code {"decision":{subject,score,fmr},"candidates":[...],"threshold"}})
 * when the gallery changes under it: a subject deleted, renamed or merged. Each edit gives the
 * decision a fresh identification would give: the top remaining candidate if it clears the
 * threshold the decision was made at, else unknown (a decision stored without its threshold names
 * nobody until a rescan). Only the candidates list can be one shorter than a fresh search's.
 */
final class DecisionEdits {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DecisionEdits() {}

  /** Whether the decision names {@code subject} as its decision or among its candidates. */
  static boolean mentions(String decisionJson, String subject) {
    if (decisionJson == null) {
      return false;
    }
    JsonNode n = read(decisionJson);
    if (subject.equals(n.path("decision").path("subject").asText(null))) {
      return true;
    }
    for (JsonNode c : n.path("candidates")) {
      if (subject.equals(c.path("subject").asText(null))) {
        return true;
      }
    }
    return false;
  }

  /** The decision without {@code subject} among its candidates. */
  static String without(String decisionJson, String subject) {
    ObjectNode n = (ObjectNode) read(decisionJson);
    ArrayNode kept = JSON.createArrayNode();
    for (JsonNode c : n.path("candidates")) {
      if (!subject.equals(c.path("subject").asText(null))) {
        kept.add(c);
      }
    }
    n.set("candidates", kept);
    return decide(n);
  }

  /** The decision with {@code from} renamed {@code to} (merged into it when {@code to} is a candidate too: the higher score stays). */
  static String renamed(String decisionJson, String from, String to) {
    ObjectNode n = (ObjectNode) read(decisionJson);
    ArrayNode out = JSON.createArrayNode();
    ObjectNode kept = null;
    for (JsonNode c : n.path("candidates")) {
      String s = c.path("subject").asText(null);
      if (from.equals(s) || to.equals(s)) {
        ObjectNode copy = ((ObjectNode) c).deepCopy();
        copy.put("subject", to);
        if (kept == null) {
          kept = copy;
          out.add(copy);
        } else if (copy.path("score").asDouble() > kept.path("score").asDouble()) {
          kept.setAll(copy);
        }
      } else {
        out.add(c);
      }
    }
    n.set("candidates", sortByScore(out));
    return decide(n);
  }

  private static ArrayNode sortByScore(ArrayNode a) {
    java.util.List<JsonNode> list = new java.util.ArrayList<>();
    a.forEach(list::add);
    list.sort(java.util.Comparator.comparingDouble((JsonNode c) -> c.path("score").asDouble()).reversed());
    ArrayNode out = JSON.createArrayNode();
    list.forEach(out::add);
    return out;
  }

  /** Sets the decision from the candidates: the top one if it clears the stored threshold, else unknown. */
  private static String decide(ObjectNode n) {
    JsonNode top = n.path("candidates").size() == 0 ? null : n.path("candidates").get(0);
    JsonNode threshold = n.path("threshold");
    ObjectNode d = JSON.createObjectNode();
    boolean named = top != null && threshold.isNumber() && top.path("score").asDouble() >= threshold.asDouble();
    if (named) {
      d.put("subject", top.path("subject").asText());
    } else {
      d.putNull("subject");
    }
    d.set("score", top == null ? JSON.nullNode() : top.path("score"));
    d.set("fmr", top == null ? JSON.nullNode() : top.path("fmr"));
    n.set("decision", d);
    // keep the field order of a fresh decision: decision, candidates, then the rest
    ObjectNode ordered = JSON.createObjectNode();
    ordered.set("decision", d);
    ordered.set("candidates", n.get("candidates"));
    n.fields().forEachRemaining(e -> {
      if (!ordered.has(e.getKey())) {
        ordered.set(e.getKey(), e.getValue());
      }
    });
    return ordered.toString();
  }

  /** The subject a stored decision names, or null. */
  static String subject(String decisionJson) {
    return decisionJson == null ? null : read(decisionJson).path("decision").path("subject").asText(null);
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored decision is not JSON: " + e.getMessage(), e);
    }
  }
}
