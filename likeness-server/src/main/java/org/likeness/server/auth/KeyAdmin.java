package org.likeness.server.auth;

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

  /** A key as listed (never its secret): id, name, role, gallery, created, revoked (null while active). */
  public record Listed(String id, String name, String role, String gallery, String created, String revoked) {}

  /** A key just created: its fields as listed, then its secret, shown this once. */
  public record Issued(@com.fasterxml.jackson.annotation.JsonUnwrapped Listed key, String secret) {}

  /** A key as listed. */
  public static Listed describe(ApiKey k) {
    return new Listed(k.id(), k.name(), k.role().name().toLowerCase(Locale.ROOT), k.gallery(), k.created().toString(),
        k.revoked() == null ? null : k.revoked().toString());
  }

  /** A key just created, with its secret. */
  public static Issued issued(KeyStore.Created c) {
    return new Issued(describe(c.key()), c.secret());
  }

  /** Creates a key; the secret is in the result once and nowhere else (not in the audit record). */
  public KeyStore.Created create(String actor, String name, Role role, String gallery) {
    return keys.create(name, role, gallery, c -> audit.append(actor, "keys.create", gallery,
        Map.of("name", name, "role", role.name().toLowerCase(Locale.ROOT)), Map.of("key", c.key().id())));
  }

  /** Every key, active or revoked. */
  public List<Listed> list() {
    return keys.list().stream().map(KeyAdmin::describe).toList();
  }

  /** Revokes an active key; a key that is unknown or already revoked is not found. */
  public void revoke(String actor, String id) {
    if (!keys.revoke(id, () -> audit.append(actor, "keys.revoke", null, Map.of("key", id), Map.of("revoked", true)))) {
      throw new NotFoundException("no active key with id " + id);
    }
  }
}
