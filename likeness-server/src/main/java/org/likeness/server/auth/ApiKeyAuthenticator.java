package org.likeness.server.auth;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.server.http.Problem;
import org.likeness.server.http.Route;

/**
 * Checks the {@code X-API-Key} of a request against the route's role and gallery before the
 * handler runs, and leaves the key on the context for the audit record. A valid key asking beyond
 * its rights is audited (who tried what is part of the trail); unknown keys are only logged, so
 * the trail cannot be flooded.
 */
public final class ApiKeyAuthenticator {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiKeyAuthenticator.class);
  private static final String KEY = "key";
  private final KeyStore keys;
  private final AuditLog audit;
  private final List<Route> routes;

  public ApiKeyAuthenticator(KeyStore keys, AuditLog audit, List<Route> routes) {
    this.keys = keys;
    this.audit = audit;
    this.routes = routes;
  }

  /** Javalin before-matched handler. */
  public void authenticate(Context ctx) {
    Route route = routeOf(ctx);
    if (route == null || route.role() == null) {
      return;
    }
    String presented = ctx.header("X-API-Key");
    if (presented == null || presented.isBlank()) {
      throw new Problem(401, "API key required", "send a key in the X-API-Key header");
    }
    ApiKey key;
    try {
      key = keys.authenticate(presented.strip()).orElse(null);
    } catch (KeyStore.TooManyFailures e) {
      LOG.warn("{} {} refused: {} (from {})", ctx.method(), ctx.path(), e.getMessage(), ctx.ip());
      throw new Problem(429, "Too many failed key checks", "this key failed its check moments ago; try again in "
          + e.retryAfterSeconds() + " s", e.retryAfterSeconds());
    }
    if (key == null) {
      LOG.warn("{} {} refused: unknown or revoked API key from {}", ctx.method(), ctx.path(), ctx.ip());
      throw new Problem(401, "Invalid API key", "the key is unknown or revoked");
    }
    String gallery = ctx.pathParamMap().containsKey("gallery") ? ctx.pathParam("gallery") : ctx.queryParam("gallery");
    if (!key.role().allows(route.role())) {
      throw denied(ctx, key, gallery, "this operation needs role " + route.role().name().toLowerCase() + "; the key has "
          + key.role().name().toLowerCase());
    }
    if (!key.coversGallery(gallery)) {
      throw denied(ctx, key, gallery, "this key is limited to gallery '" + key.gallery() + "'");
    }
    ctx.attribute(KEY, key);
  }

  /** The authenticated key of a request, or null on a public route. */
  public static ApiKey key(Context ctx) {
    return ctx.attribute(KEY);
  }

  /** The audit actor of a request: its key id, or null on a public route. */
  public static String actor(Context ctx) {
    ApiKey key = key(ctx);
    return key == null ? null : key.id();
  }

  private Problem denied(Context ctx, ApiKey key, String gallery, String reason) {
    audit.append(key.id(), "denied", gallery, Map.of("method", ctx.method().name(), "path", ctx.path()),
        Map.of("status", 403, "reason", reason));
    return new Problem(403, "Forbidden", reason);
  }

  private Route routeOf(Context ctx) {
    String matched = ctx.endpointHandlerPath();
    for (Route r : routes) {
      if (r.path().equals(matched) && r.method().equals(ctx.method().name())) {
        return r;
      }
    }
    return null;
  }
}
