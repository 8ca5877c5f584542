package org.likeness.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import org.likeness.engine.embed.FaceEmbedder;
import org.likeness.gallery.enroll.Enroller;

/**
 * Reads what a request carries (images as multipart or base64 JSON, embeddings, JSON bodies, query
 * and path parameters) with the server's limits, answering a malformed request with a 4xx
 * {@link Problem} before any work is done.
 */
public final class RequestReader {
  private final ObjectMapper json;
  private final long maxUploadBytes;

  public RequestReader(ObjectMapper json, long maxUploadBytes) {
    this.json = json;
    this.maxUploadBytes = maxUploadBytes;
  }

  /** An uploaded image's bytes, their sha256, and the field it came in. */
  public record Upload(String field, byte[] bytes, String sha256) {}

  /** The image in multipart field {@code name}, or in JSON body field {@code name} as base64. */
  public Upload upload(Context ctx, String name) throws IOException {
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    byte[] bytes;
    if (type.startsWith("multipart/")) {
      UploadedFile f = part(ctx, name);
      if (f == null) {
        throw new Problem(400, "Missing image", "multipart field '" + name + "' is required");
      }
      try (InputStream in = f.content()) {
        bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE, maxUploadBytes + 1));
      }
    } else if (type.startsWith("application/json")) {
      JsonNode v = jsonBody(ctx).get(name);
      if (v == null || !v.isTextual()) {
        throw new Problem(400, "Missing image", "JSON field '" + name + "' (base64) is required");
      }
      try {
        bytes = Base64.getMimeDecoder().decode(v.asText());
      } catch (IllegalArgumentException e) {
        throw new Problem(400, "Malformed base64", "field '" + name + "': " + e.getMessage());
      }
    } else {
      throw new Problem(415, "Unsupported content type", "send multipart/form-data or application/json");
    }
    if (bytes.length > maxUploadBytes) {
      throw tooLarge();
    }
    return new Upload(name, bytes, Enroller.sha256(bytes));
  }

  /**
   * The file in multipart field {@code name}, or null. A body Jetty's parser cannot read (a boundary
   * missing or not matching, parts cut short) is the client's fault: 400, not 500.
   */
  public UploadedFile part(Context ctx, String name) {
    try {
      return ctx.uploadedFile(name);
    } catch (IllegalStateException e) {
      // Jetty's multipart parser refuses bodies over the configured size this way.
      throw tooLarge();
    } catch (Exception e) {
      // Javalin (Kotlin) declares nothing, but Jetty's IOException and ServletException come through.
      if (e instanceof IOException || e instanceof jakarta.servlet.ServletException) {
        throw new Problem(400, "Malformed multipart", "the multipart/form-data body cannot be read: check its boundary");
      }
      throw e;
    }
  }

  /** The 413 answer. */
  public Problem tooLarge() {
    return new Problem(413, "Upload too large", "the limit is " + maxUploadBytes + " bytes");
  }

  /**
   * A unit embedding of {@code dimension} numbers from JSON body field {@code name} (L2-normalised
   * here), or null when the request carries none.
   */
  public float[] embedding(Context ctx, String name, int dimension, String packId) {
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    if (!type.startsWith("application/json")) {
      return null;
    }
    JsonNode v = jsonBody(ctx).get(name);
    if (v == null) {
      return null;
    }
    if (!v.isArray() || v.size() != dimension) {
      throw new Problem(400, "Bad embedding", "'" + name + "' must be an array of " + dimension + " numbers (pack " + packId + ")");
    }
    float[] e = new float[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      // finite as a float too: 1e39 is a finite double that the float template would hold as infinity
      if (!v.get(i).isNumber() || !Float.isFinite((float) v.get(i).asDouble())) {
        throw new Problem(400, "Bad embedding", "'" + name + "' holds a non-numeric or non-finite value at " + i);
      }
      e[i] = (float) v.get(i).asDouble();
      norm += (double) e[i] * e[i];
    }
    if (!(norm > 0) || !Double.isFinite(norm)) {
      throw new Problem(400, "Bad embedding", "'" + name + "' has no direction (all zeros) or a length no float holds");
    }
    return FaceEmbedder.normalize(e);
  }

  /** The JSON object body (parsed once per request). */
  public JsonNode jsonBody(Context ctx) {
    Object cached = ctx.attribute("jsonBody");
    if (cached instanceof JsonNode n) {
      return n;
    }
    byte[] body;
    try (InputStream in = ctx.bodyInputStream()) {
      // read up to the limit, whatever the request says its length is: a chunked body declares none,
      // and Javalin's own limit looks only at the declared length
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUploadBytes + 1));
    } catch (IOException e) {
      throw new Problem(400, "Unreadable body", "the request body cannot be read: " + e.getMessage());
    }
    if (body.length > maxUploadBytes) {
      throw tooLarge();
    }
    try {
      JsonNode n = json.readTree(body);
      if (n == null || !n.isObject()) {
        throw new Problem(400, "Malformed JSON", "the body must be a JSON object");
      }
      ctx.attribute("jsonBody", n);
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Problem(400, "Malformed JSON", e.getOriginalMessage());
    } catch (IOException e) {
      throw new Problem(400, "Malformed JSON", e.getMessage());
    }
  }

  /** A required text field of the JSON body; {@code shape} tells the caller what the body should be. */
  public String textField(Context ctx, String field, String title, String shape) {
    String v = jsonBody(ctx).path(field).asText(null);
    if (v == null) {
      throw new Problem(400, title, "body must be " + shape);
    }
    return v;
  }

  /** An integer query parameter in [min, max], or {@code dflt} when absent. */
  public static int intParam(Context ctx, String name, int dflt, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw new NumberFormatException();
      }
      return i;
    } catch (NumberFormatException e) {
      throw new Problem(400, "Bad parameter", name + " must be an integer in [" + min + ", " + max + "]");
    }
  }

  /** A rate query parameter in (0, 1) such as {@code fpir=0.01}, or null when absent. */
  public static Double rateParam(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(v);
      if (!(d > 0 && d < 1)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new Problem(400, "Bad parameter", name + " must be a rate between 0 and 1 (exclusive), e.g. 0.01");
    }
  }

  /** The face id in path parameter {@code face}. */
  public static long faceId(Context ctx) {
    String v = ctx.pathParam("face");
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new Problem(400, "Bad parameter", "'" + v + "' is not a face id");
    }
  }

  /** Whether a flag query parameter is on ({@code 1} or {@code true}). */
  public static boolean flag(Context ctx, String name) {
    return "1".equals(ctx.queryParam(name)) || "true".equals(ctx.queryParam(name));
  }
}
