package org.likeness.cli;

import java.nio.file.Path;
import java.util.Map;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.store.Database;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.Storage;
import org.likeness.gallery.store.TemplateCipher;
import org.likeness.server.auth.KeyStore;

/**
 * The command line's composition root: every command opens the installation's repositories here
 * and nowhere else (the store with its scans, clusters and jobs, the audit trail, the key table),
 * each on the database the settings name. Where Likeness keeps its state: {@code LIKENESS_HOME}
 * (default {@code ~/.likeness}) for what is local, and the settings of {@link Storage#fromEnvironment}
 * for the database ({@code LIKENESS_DATABASE_URL} or {@code --database URL}), indexes and kept media.
 */
final class Home {
  private Home() {}

  /** The installation's storage settings. */
  static Storage storage(Map<String, String> env) {
    return Storage.fromEnvironment(env, of(env));
  }

  /** The installation's database. */
  static Database database(Map<String, String> env) {
    return storage(env).database();
  }

  /** The installation's store, with template encryption when a key is configured in the environment. */
  static GalleryStore store(Map<String, String> env) {
    return GalleryStore.open(storage(env), TemplateCipher.fromEnvironment(env).orElse(null));
  }

  /** The installation's audit trail (its own connection: records of what changes nothing commit on their own). */
  static AuditLog audit(Map<String, String> env) {
    return AuditLog.open(database(env));
  }

  /** The installation's API keys. */
  static KeyStore keys(Map<String, String> env) {
    return KeyStore.open(database(env));
  }

  static Path of(Map<String, String> env) {
    String h = env.get("LIKENESS_HOME");
    return h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".likeness");
  }
}
