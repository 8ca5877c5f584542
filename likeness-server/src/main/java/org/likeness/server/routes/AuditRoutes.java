package org.likeness.server.routes;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.server.auth.ApiKeyAuthenticator;
import org.likeness.server.auth.Role;
import org.likeness.server.http.Route;

/**
 * The audit trail as NDJSON (admin; the export itself is audited). An admin key limited to a
 * gallery reads only the records about that gallery: another gallery's records, and records about
 * no gallery (keys, detection without a gallery, refusals elsewhere), are for unrestricted admins.
 */
public final class AuditRoutes {
  private final AuditLog audit;

  public AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  public List<Route> routes() {
    return List.of(new Route("GET", "/v1/audit", Role.ADMIN, this::export));
  }

  /**
   * The trail goes to a temporary file (owner-only, deleted after) and is streamed from there: a
   * trail of millions of records is never held in memory, and the export's own record is written
   * before any of it is answered, as for every operation.
   */
  private void export(Context ctx) throws IOException {
    String gallery = ApiKeyAuthenticator.key(ctx).gallery();
    Path tmp = Files.createTempFile("likeness-audit", ".ndjson");
    try {
      long n;
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        n = audit.export(w, gallery);
      }
      audit.append(ApiKeyAuthenticator.actor(ctx), "audit.export", gallery, Map.of(), Map.of("records", n));
      ctx.contentType("application/x-ndjson");
      try (InputStream in = Files.newInputStream(tmp)) {
        in.transferTo(ctx.outputStream());
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
