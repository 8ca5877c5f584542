package org.likeness.server.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.store.NotFoundException;

/**
 * Key management for every front end (the {@code keys} command and {@code /v1/keys}): create,
 * list, revoke, each change audited, and one public shape of a key (never its secret or hash).
 */
public final class KeyAdmin {
  private final KeyStore keys;
  private final AuditLog audit;

  public KeyAdmin(KeyStore keys, AuditLog audit) {
    this.keys = keys;
    this.audit = audit.within(keys); // a key's record is written in the transaction that creates or revokes it
  }

  /** A key as listed: id, name, role, gallery, created, revoked. */
  public static Map<String, Object> describe(ApiKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id());
    m.put("name", k.name());
    m.put("role", k.role().name().toLowerCase(Locale.ROOT));
    m.put("gallery", k.gallery());
    m.put("created", k.created().toString());
    m.put("revoked", k.revoked() == null ? null : k.revoked().toString());
    return m;
  }

  /** Creates a key; the secret is in the result once and nowhere else (not in the audit record). */
  public KeyStore.Created create(String actor, String name, Role role, String gallery) {
    return keys.create(name, role, gallery, c -> audit.append(actor, "keys.create", gallery,
        Map.of("name", name, "role", role.name().toLowerCase(Locale.ROOT)), Map.of("key", c.key().id())));
  }

  /** Every key, active or revoked. */
  public List<Map<String, Object>> list() {
    return keys.list().stream().map(KeyAdmin::describe).toList();
  }

  /** Revokes an active key; a key that is unknown or already revoked is not found. */
  public void revoke(String actor, String id) {
    if (!keys.revoke(id, () -> audit.append(actor, "keys.revoke", null, Map.of("key", id), Map.of("revoked", true)))) {
      throw new NotFoundException("no active key with id " + id);
    }
  }
}
