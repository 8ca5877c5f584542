package org.likeness.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.likeness.gallery.store.Database;
import org.likeness.gallery.store.StoreException;

/**
 * API keys, stored only as salted PBKDF2-HMAC-SHA256 hashes. A key reads {@code lk_<id>_<secret>};
 * the id finds the row, the slow hash checks the secret. A verified key is remembered by a SHA-256
 * of the presented string (never the string itself), so the slow hash runs once per key and process,
 * and concurrent first requests share that one computation. Every {@link #CACHE_MILLIS} the row is
 * re-read (a cheap lookup, no hash) so that a revocation by another process takes effect soon;
 * re-hashing there instead made every client stall at once when the entries expired under load.
 *
 * <p>A wrong secret costs a slow hash, and key ids are not secret (verdicts name them), so failures
 * are bounded: a revoked key is refused before any hash, a key id whose slow check failed is not
 * checked slowly again for {@link #FAILURE_PAUSE_MILLIS} ({@link KeyStore.TooManyFailures}), and slow
 * checks run one at a time, so at most one core hashes for strangers. Keys already proven are
 * answered from the cache and never wait.
 */
final class JdbcKeyStore implements KeyStore {
  static final long CACHE_MILLIS = 30_000;
  /** How long a key id whose slow check failed is refused without one. */
  static final long FAILURE_PAUSE_MILLIS = 2_000;

  private final Database database;
  private final Connection db;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.CompletableFuture<Optional<ApiKey>>> pending = new ConcurrentHashMap<>();

  private record Cached(ApiKey key, long recheckAt) {}

  private final long recheckMillis;
  private final long failurePauseMillis;
  /** Key ids whose slow check failed, and when they may be checked slowly again. */
  private final Map<String, Long> failedUntil = new ConcurrentHashMap<>();
  /** Moved on by every revocation: a check that read the key's row before one is not remembered. */
  private final java.util.concurrent.atomic.AtomicLong revocations = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.Semaphore slowChecks = new java.util.concurrent.Semaphore(1, true);

  private JdbcKeyStore(Database database, Connection db, long recheckMillis, long failurePauseMillis) {
    this.database = database;
    this.db = db;
    this.recheckMillis = recheckMillis;
    this.failurePauseMillis = failurePauseMillis;
  }

  /** As {@link KeyStore#open(Database)}, re-reading a remembered key's row after {@code recheckMillis}. */
  static KeyStore open(Database database, long recheckMillis) {
    return open(database, recheckMillis, FAILURE_PAUSE_MILLIS);
  }

  /** As {@link #open(Database, long)}, pausing a key id's slow checks for {@code failurePauseMillis} after a failure. */
  static KeyStore open(Database database, long recheckMillis, long failurePauseMillis) {
    database.prepare();
    try {
      return new JdbcKeyStore(database, database.connect(), recheckMillis, failurePauseMillis);
    } catch (SQLException e) {
      throw new StoreException("cannot open keys: " + e.getMessage(), e);
    }
  }

  @Override
  public Database database() {
    return database;
  }

  @Override
  public synchronized <T> T write(SqlWork<T> work) {
    return database.inWrite(db, work);
  }

  @Override
  public Created create(String name, Role role, String gallery) {
    return create(name, role, gallery, c -> {});
  }

  @Override
  public Created create(String name, Role role, String gallery, java.util.function.Consumer<Created> alsoInTransaction) {
    if (name == null || name.isBlank()) {
      throw new org.likeness.gallery.store.InvalidInputException("key name must not be empty");
    }
    byte[] idBytes = new byte[6];
    random.nextBytes(idBytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes).replace('_', 'x').replace('-', 'y');
    byte[] secretBytes = new byte[32];
    random.nextBytes(secretBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] hash = pbkdf2(secret, salt, ITERATIONS); // before the transaction: the slow hash holds no lock
    Instant now = Instant.now();
    Created created = new Created(new ApiKey(id, name.strip(), role, gallery, now, null), "lk_" + id + "_" + secret);
    try {
      return write(c -> {
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO api_key (id, name, role, gallery, salt, hash, iterations, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
          p.setString(1, id);
          p.setString(2, name.strip());
          p.setString(3, role.name());
          p.setString(4, gallery);
          p.setBytes(5, salt);
          p.setBytes(6, hash);
          p.setInt(7, ITERATIONS);
          p.setString(8, now.toString());
          p.executeUpdate();
        }
        alsoInTransaction.accept(created);
        return created;
      });
    } catch (StoreException e) {
      throw new StoreException("cannot store key: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized List<ApiKey> list() {
    List<ApiKey> out = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement(
        "SELECT id, name, role, gallery, created, revoked FROM api_key ORDER BY created DESC");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(row(r));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot list keys: " + e.getMessage(), e);
    }
  }

  @Override
  public void forget(String id) {
    revocations.incrementAndGet();
    cache.clear();
  }

  @Override
  public boolean revoke(String id) {
    return revoke(id, () -> {});
  }

  @Override
  public boolean revoke(String id, Runnable alsoInTransaction) {
    try {
      return write(c -> {
        try (PreparedStatement p = c.prepareStatement("UPDATE api_key SET revoked = ? WHERE id = ? AND revoked IS NULL")) {
          p.setString(1, Instant.now().toString());
          p.setString(2, id);
          if (p.executeUpdate() != 1) {
            return false;
          }
        }
        alsoInTransaction.run();
        return true;
      });
    } catch (StoreException e) {
      throw new StoreException("cannot revoke key: " + e.getMessage(), e);
    } finally {
      revocations.incrementAndGet(); // a check that read the row before the commit is not remembered
      cache.clear(); // after the commit too: a request checked meanwhile is not remembered as active
    }
  }

  @Override
  public Optional<ApiKey> authenticate(String presented) {
    if (presented == null || !presented.startsWith("lk_") || presented.length() > 200 || presented.indexOf('_', 3) < 0) {
      return Optional.empty();
    }
    String digest = sha256(presented);
    Cached c = cache.get(digest);
    long now = System.currentTimeMillis();
    if (c != null) {
      if (c.recheckAt() > now) {
        return Optional.of(c.key());
      }
      long seen = revocations.get();
      Optional<ApiKey> current = activeRow(c.key().id()); // already proven: only revocation can change
      if (current.isEmpty()) {
        cache.remove(digest);
        return Optional.empty();
      }
      remember(digest, current.get(), seen);
      return current;
    }
    var mine = new java.util.concurrent.CompletableFuture<Optional<ApiKey>>();
    var running = pending.putIfAbsent(digest, mine);
    if (running != null) {
      try {
        return running.join();
      } catch (java.util.concurrent.CompletionException e) { // the one computing it failed: so does this request, alike
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      long seen = revocations.get();
      Optional<ApiKey> key = verifySlowly(presented);
      key.ifPresent(k -> remember(digest, k, seen));
      mine.complete(key);
      return key;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      pending.remove(digest);
    }
  }

  /**
   * Remembers a key proven from its row as read when no revocation had yet happened since
   * {@code seen}; one that happened meanwhile may have revoked it after the read, so it is not
   * remembered (the next request reads the row again).
   */
  private void remember(String digest, ApiKey key, long seen) {
    cache.put(digest, new Cached(key, System.currentTimeMillis() + recheckMillis));
    if (revocations.get() != seen) {
      cache.remove(digest);
    }
  }

  private Optional<ApiKey> verifySlowly(String presented) {
    int sep = presented.indexOf('_', 3);
    String id = presented.substring(3, sep), secret = presented.substring(sep + 1);
    byte[] salt, expected;
    int iterations;
    ApiKey key;
    synchronized (this) {
      try (PreparedStatement p = db.prepareStatement(
          "SELECT id, name, role, gallery, created, revoked, salt, hash, iterations FROM api_key WHERE id = ?")) {
        p.setString(1, id);
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            return Optional.empty();
          }
          key = row(r);
          salt = r.getBytes(7);
          expected = r.getBytes(8);
          iterations = r.getInt(9);
        }
      } catch (SQLException e) {
        throw new StoreException("cannot check key: " + e.getMessage(), e);
      }
    }
    if (key.revoked() != null) {
      return Optional.empty(); // no hash spent on a key that cannot pass
    }
    Long until = failedUntil.get(id);
    long now = System.currentTimeMillis();
    if (until != null && until > now) {
      throw new KeyStore.TooManyFailures(id, (int) Math.max(1, (until - now + 999) / 1000));
    }
    byte[] actual;
    slowChecks.acquireUninterruptibly(); // outside the table's lock: proven keys are not held up
    try {
      actual = pbkdf2(secret, salt, iterations);
    } finally {
      slowChecks.release();
    }
    if (!MessageDigest.isEqual(expected, actual)) {
      failedUntil.put(id, System.currentTimeMillis() + failurePauseMillis);
      return Optional.empty();
    }
    failedUntil.remove(id);
    return Optional.of(key);
  }

  private synchronized Optional<ApiKey> activeRow(String id) {
    try (PreparedStatement p = db.prepareStatement(
        "SELECT id, name, role, gallery, created, revoked FROM api_key WHERE id = ?")) {
      p.setString(1, id);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        ApiKey key = row(r);
        return key.revoked() == null ? Optional.of(key) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot check key: " + e.getMessage(), e);
    }
  }

  private static ApiKey row(ResultSet r) throws SQLException {
    String revoked = r.getString(6);
    return new ApiKey(r.getString(1), r.getString(2), Role.valueOf(r.getString(3).toUpperCase(Locale.ROOT)), r.getString(4),
        Instant.parse(r.getString(5)), revoked == null ? null : Instant.parse(revoked));
  }

  static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
    try {
      KeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(String s) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }
}
