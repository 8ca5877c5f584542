package org.likeness.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Evidence as canonical JSON (keys sorted, no spaces) and its SHA-256 digest: the same evidence always gives the same bytes. */
public final class EvidenceCodec {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private EvidenceCodec() {}

  /** The canonical JSON. */
  public static String json(Evidence e) {
    try {
      return JSON.writeValueAsString(e);
    } catch (JsonProcessingException x) {
      throw new IllegalStateException(x);
    }
  }

  /** Reads evidence from its JSON, refusing another version. */
  public static Evidence read(String json) throws ReportException {
    Evidence e;
    try {
      e = JSON.readValue(json, Evidence.class);
    } catch (JsonProcessingException x) {
      throw new ReportException("the report's evidence is not readable JSON: " + x.getOriginalMessage());
    }
    if (e.v() != Evidence.VERSION) {
      throw new ReportException("the report's evidence is version " + e.v() + "; this Likeness reads version " + Evidence.VERSION);
    }
    return e;
  }

  /** The SHA-256 of the canonical JSON, in hex. */
  public static String digest(String canonicalJson) {
    return sha256(canonicalJson.getBytes(StandardCharsets.UTF_8));
  }

  /** The SHA-256 of some bytes, in hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException x) {
      throw new IllegalStateException(x);
    }
  }
}
