package org.likeness.server.auth;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.likeness.gallery.store.Database;
import org.likeness.gallery.store.Transactions;

/** API keys: created with a secret shown once, kept as salted PBKDF2 hashes, revoked for every server sharing the database. */
public interface KeyStore extends Transactions, AutoCloseable {
  /** PBKDF2 iterations (OWASP 2023 guidance for PBKDF2-HMAC-SHA256). */
  int ITERATIONS = 600_000;

  /** Opens the key table of the SQLite installation in {@code home} (the store creates the schema). */
  static KeyStore open(Path home) {
    return open(Database.sqlite(home));
  }

  /** Opens the key table in {@code database}, creating or migrating the schema first. */
  static KeyStore open(Database database) {
    return JdbcKeyStore.open(database, JdbcKeyStore.CACHE_MILLIS);
  }

  /** A newly created key: its record and, shown once, the secret key string. */
  record Created(ApiKey key, String secret) {}

  /** The database the keys are kept in. */
  @Override
  Database database();

  /** {@inheritDoc} Under this store's lock. */
  <T> T write(SqlWork<T> work);

  /** Creates a key; the returned secret is not stored anywhere and cannot be shown again. */
  Created create(String name, Role role, String gallery);

  /**
   * As {@link #create(String, Role, String)}, running {@code alsoInTransaction} on the new key inside
   * the transaction that stores it (its audit record: both commit or neither).
   */
  Created create(String name, Role role, String gallery, java.util.function.Consumer<Created> alsoInTransaction);

  /** Every key, newest first. */
  List<ApiKey> list();

  /** Forgets what is remembered of keys after key {@code id} changed elsewhere (another server revoked it): the next request re-reads. */
  void forget(String id);

  /** Revokes a key by id; returns whether it existed and was active. */
  boolean revoke(String id);

  /**
   * As {@link #revoke(String)}, running {@code alsoInTransaction} inside the transaction that
   * revokes an active key (its audit record: both commit or neither); not run when there was none.
   */
  boolean revoke(String id, Runnable alsoInTransaction);

  /**
   * The active key matching the presented string, if any.
   *
   * @throws TooManyFailures when the slow check of this key id failed moments ago: a wrong secret
   *     costs the server a slow hash, so a key id is checked slowly at most once per pause after a failure
   */
  Optional<ApiKey> authenticate(String presented);

  /** A key id whose last slow check failed moments ago: not checked again before {@code retryAfterSeconds}. */
  final class TooManyFailures extends RuntimeException {
    private final int retryAfterSeconds;

    public TooManyFailures(String id, int retryAfterSeconds) {
      super("key " + id + " failed its check moments ago");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds until the key id is checked again. */
    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /** Closes the key table's connection. */
  @Override
  void close();
}
