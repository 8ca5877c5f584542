package org.likeness.gallery.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The servers' video jobs, in the gallery store's database: one queue that every server sharing
 * the database works from. A server claims a job with a lease (owner and expiry) in one transaction
 * that locks the job's row, so no two servers claim the same job; it renews the lease as the job progresses, and
 * a job whose lease ran out (its server died or stalled) is claimed by another and run again from
 * the start. Every change of a claimed job is conditional on the claim, so a server that lost its
 * claim can neither renew nor finish the job: only one run completes it. Leases are timed by the
 * database's clock on PostgreSQL, so servers whose clocks disagree still agree on when a lease
 * runs out; on SQLite (one host) by this host's.
 */
final class JdbcJobStore implements JobStore {
  private final JdbcGalleryStore store;
  private final Clock clock;

  /** Jobs kept in {@code store}'s database. */
  JdbcJobStore(JdbcGalleryStore store) {
    this(store, Clock.systemUTC());
  }

  /** As {@link #JdbcJobStore(JdbcGalleryStore)}, with {@code clock} as this host's clock (a test's skewed one). */
  JdbcJobStore(JdbcGalleryStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Lease times as fixed-width UTC text, so the database compares them as it compares strings. */
  private static final java.time.format.DateTimeFormatter LEASE_TIME =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

  /** A lease time. */
  private static String at(Instant t) {
    return LEASE_TIME.format(t);
  }

  /**
   * Now, for leases: the database server's clock on PostgreSQL (one clock for every server that
   * shares it: a server whose clock runs ahead cannot take a job whose lease has not run out, nor
   * one that runs behind keep a dead server's job waiting), this host's on SQLite.
   */
  private Instant leaseNow() {
    return store.database().serverTime(store.sql).orElseGet(clock::instant);
  }

  /** Queued, or running under a claim that ran out (or that a server before leases left without one). */
  private static final String CLAIMABLE = "(state = 'queued' OR (state = 'running' AND (lease_until IS NULL OR lease_until < ?)))";

  /** Claims after which a job that never finished fails instead of being run again. */
  static final int MAX_CLAIMS = 3;

  private static final String COLUMNS = "id, gallery, upload, name, fps, state, progress, scan_id, error, actor, created, updated, fpir";

  @Override
  public StoredJob add(String id, String gallery, String upload, String name, double fps, String actor) {
    return add(id, gallery, upload, name, fps, null, actor);
  }

  @Override
  public StoredJob add(String id, String gallery, String upload, String name, double fps, Double fpir, String actor) {
    synchronized (store) {
      String now = Instant.now().toString();
      store.sql.tx(() -> store.sql.update("INSERT INTO job (id, gallery, upload, name, fps, fpir, state, progress, actor, created, updated) "
          + "VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)", id, gallery, store.storage().toStored(upload), name, fps, fpir, actor,
          now, now));
      return job(id).orElseThrow();
    }
  }

  @Override
  public Optional<StoredJob> claim(String owner, Duration lease) {
    synchronized (store) {
      Instant time = leaseNow();
      String now = at(time);
      // A cheap read first: an idle server polls without taking the write lock.
      if (store.sql.query("SELECT 1 FROM job WHERE " + CLAIMABLE + " LIMIT 1", r -> 1, now)
          .isEmpty()) {
        return Optional.empty();
      }
      return store.sql.rowTx(() -> {
        List<String> ids = store.sql.query("SELECT id FROM job WHERE " + CLAIMABLE + " ORDER BY created, id LIMIT 1"
            + store.sql.forUpdateSkipLocked(), r -> r.getString(1), now);
        if (ids.isEmpty()) {
          return Optional.<StoredJob>empty();
        }
        int claims = store.sql.query("SELECT claims FROM job WHERE id = ?", r -> r.getInt(1), ids.get(0)).get(0);
        if (claims >= MAX_CLAIMS) { // every server that ran it stopped under it: it would fell the next one too
          store.sql.update("UPDATE job SET state = 'failed', error = ?, owner = NULL, lease_until = NULL, updated = ? WHERE id = ?",
              "claimed " + claims + " times and never finished: each server that ran it stopped (crashed or was killed) under it",
              clock.instant().toString(), ids.get(0));
          return job(ids.get(0)); // failed: the caller sees it is not to be run
        }
        store.sql.update("UPDATE job SET state = 'running', progress = 0, owner = ?, lease_until = ?, claims = claims + 1, updated = ? "
            + "WHERE id = ?", owner, at(time.plus(lease)), clock.instant().toString(), ids.get(0));
        return job(ids.get(0));
      });
    }
  }

  @Override
  public boolean renew(String id, String owner, double progress, Duration lease) {
    synchronized (store) {
      return store.sql.rowTx(() -> store.sql.update("UPDATE job SET progress = ?, lease_until = ?, updated = ? WHERE id = ? AND owner = ? "
          + "AND state = 'running'", progress, at(leaseNow().plus(lease)), clock.instant().toString(), id, owner)) == 1;
    }
  }

  @Override
  public boolean finish(String id, String owner, String state, double progress, Long scanId, String error) {
    synchronized (store) {
      // back to the queue (a server stopping, or one that cannot open the upload): not the job's fault, its claims start over
      return store.sql.rowTx(() -> store.sql.update("UPDATE job SET state = ?, progress = ?, scan_id = COALESCE(?, scan_id), "
          + "error = COALESCE(?, error), owner = NULL, lease_until = NULL, claims = CASE WHEN ? = 'queued' THEN 0 ELSE claims END, "
          + "updated = ? WHERE id = ? AND owner = ? AND state = 'running'",
          state, progress, scanId, error, state, Instant.now().toString(), id, owner)) == 1;
    }
  }

  @Override
  public boolean end(String id, String state, String error) {
    synchronized (store) {
      return store.sql.tx(() -> store.sql.update("UPDATE job SET state = ?, error = COALESCE(?, error), owner = NULL, lease_until = NULL, "
          + "updated = ? WHERE id = ? AND state IN ('queued', 'running')", state, error, Instant.now().toString(), id)) == 1;
    }
  }

  @Override
  public Optional<StoredJob> job(String id) {
    synchronized (store) {
      return store.sql.query("SELECT " + COLUMNS + " FROM job WHERE id = ?", this::row, id).stream().findFirst();
    }
  }

  @Override
  public List<StoredJob> jobs(List<String> states) {
    synchronized (store) {
      String in = String.join(", ", states.stream().map(s -> "?").toList());
      return store.sql.query("SELECT " + COLUMNS + " FROM job WHERE state IN (" + in + ") ORDER BY created, id", this::row,
          states.toArray());
    }
  }

  @Override
  public long queued() {
    synchronized (store) {
      return store.sql.query("SELECT COUNT(*) FROM job WHERE state = 'queued'", r -> r.getLong(1)).get(0);
    }
  }

  @Override
  public String owner(String id) {
    synchronized (store) {
      List<String> owners = store.sql.query("SELECT owner FROM job WHERE id = ?", r -> r.getString(1), id);
      return owners.isEmpty() ? null : owners.get(0);
    }
  }

  private StoredJob row(ResultSet r) throws SQLException {
    return new StoredJob(r.getString(1), r.getString(2), store.storage().fromStored(r.getString(3)), r.getString(4), r.getDouble(5), r.getString(6),
        r.getDouble(7), JdbcScanStore.lng(r, 8), r.getString(9), r.getString(10), Instant.parse(r.getString(11)),
        Instant.parse(r.getString(12)), JdbcScanStore.dbl(r, 13));
  }
}
