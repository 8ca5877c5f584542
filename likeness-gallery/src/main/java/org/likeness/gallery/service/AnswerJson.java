package org.likeness.gallery.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON codec of answers: what the CLI prints with {@code --json}, what the REST API
 * returns (Javalin is given {@link #mapper()}) and what an audit record holds ({@link #fields}),
 * so one answer has one shape wherever it goes. A record's components, in order, are its fields.
 */
public final class AnswerJson {
  private final ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** The mapper, configured, for a framework that renders with Jackson itself. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** An answer as JSON text. */
  public String write(Object answer) {
    try {
      return mapper.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an answer that cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** An answer's fields as an ordered map (what its audit record holds). */
  public Map<String, Object> fields(Object answer) {
    return mapper.convertValue(answer, new TypeReference<LinkedHashMap<String, Object>>() {});
  }
}
