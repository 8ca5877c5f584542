package org.likeness.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.gallery.store.ConflictException;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.NotFoundException;
import org.likeness.gallery.store.PackMismatchException;

/**
 * Maps failures to {@code application/problem+json} answers (RFC 9457) by their type, never by the
 * text of a message, and writes them.
 */
public final class Problems {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Problems.class);
  private final ObjectMapper json;

  public Problems(ObjectMapper json) {
    this.json = json;
  }

  /** The answer for a failure; anything unexpected is a logged 500 that names only the exception type. */
  public Problem of(Context ctx, Exception e) {
    return switch (e) {
      case Problem p -> p;
      case NotFoundException n -> new Problem(404, "Not Found", n.getMessage());
      case PackMismatchException p -> new Problem(409, "Pack mismatch", p.getMessage());
      case ConflictException c -> new Problem(409, "Conflict", c.getMessage());
      case InvalidInputException i -> new Problem(400, "Bad Request", i.getMessage());
      case ImageDecodeException d -> new Problem(422, "Unreadable image", d.getMessage());
      case HttpResponseException h -> new Problem(h.getStatus(), h.getStatus() == 413 ? "Upload too large"
          : h.getStatus() == 404 ? "Not Found" : "Bad Request", h.getMessage());
      default -> {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        yield new Problem(500, "Internal error", e.getClass().getSimpleName());
      }
    };
  }

  /** Writes {@code p} as the response. */
  public void write(Context ctx, Problem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "about:blank");
    m.put("title", p.title());
    m.put("status", p.status());
    m.put("detail", p.getMessage());
    if (p.retryAfter() > 0) {
      ctx.header("Retry-After", Integer.toString(p.retryAfter()));
    }
    try {
      ctx.status(p.status()).contentType("application/problem+json").result(json.writeValueAsString(m));
    } catch (IOException e) {
      ctx.status(p.status()).result(p.title());
    }
  }
}
