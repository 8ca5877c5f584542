package org.likeness.server.routes;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.server.auth.ApiKeyAuthenticator;
import org.likeness.server.auth.KeyAdmin;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;
import org.likeness.server.http.Problem;
import org.likeness.server.http.RequestReader;
import org.likeness.server.http.Route;

/** API keys (admin): list, create (the secret is answered once), revoke. */
public final class KeyRoutes {
  private final KeyAdmin admin;
  private final RequestReader reader;
  private final GalleryStore galleries;

  public KeyRoutes(KeyAdmin admin, RequestReader reader, GalleryStore galleries) {
    this.admin = admin;
    this.reader = reader;
    this.galleries = galleries;
  }

  public List<Route> routes() {
    return List.of(
        // what the key of this request may do, for a page to show what it offers (any key: nothing secret, nothing audited)
        new Route("GET", "/v1/keys/self", Role.READ, ctx -> ctx.json(Self.of(ApiKeyAuthenticator.key(ctx)))),
        new Route("GET", "/v1/keys", Role.ADMIN, unlimited(ctx -> ctx.json(Map.of("keys", admin.list())))),
        new Route("POST", "/v1/keys", Role.ADMIN, unlimited(this::create)),
        new Route("DELETE", "/v1/keys/{key}", Role.ADMIN, unlimited(this::revoke)));
  }

  /** The key a request is signed with: its id, name, role and the one gallery it is limited to (null: all). */
  record Self(String id, String name, String role, String gallery) {
    static Self of(org.likeness.server.auth.ApiKey k) {
      return new Self(k.id(), k.name(), k.role().name().toLowerCase(Locale.ROOT), k.gallery());
    }
  }

  /** Only a key valid for every gallery manages keys: one limited to a gallery could otherwise mint an unlimited one. */
  private static io.javalin.http.Handler unlimited(io.javalin.http.Handler h) {
    return ctx -> {
      if (ApiKeyAuthenticator.key(ctx).gallery() != null) {
        throw new Problem(403, "Forbidden", "keys are managed with an admin key valid for every gallery");
      }
      h.handle(ctx);
    };
  }

  private void create(Context ctx) {
    String shape = "{\"name\": NAME, \"role\": read|search|enroll|admin, \"gallery\": optional}";
    String name = reader.textField(ctx, "name", "Missing name", shape);
    String roleText = reader.textField(ctx, "role", "Missing role", shape);
    Role role;
    try {
      role = Role.valueOf(roleText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Problem(400, "Bad role", "role must be one of read, search, enroll, admin");
    }
    String gallery = reader.jsonBody(ctx).path("gallery").asText(null);
    if (gallery != null && galleries.gallery(gallery).isEmpty()) {
      // A key limited to a gallery that does not exist would silently gain it if one is created by that name.
      throw new Problem(400, "Unknown gallery", "there is no gallery '" + gallery + "' to limit the key to");
    }
    KeyStore.Created c = admin.create(ApiKeyAuthenticator.actor(ctx), name, role, gallery);
    ctx.status(201).json(KeyAdmin.issued(c));
  }

  private void revoke(Context ctx) {
    admin.revoke(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("key"));
    ctx.json(Map.of("revoked", ctx.pathParam("key")));
  }
}
