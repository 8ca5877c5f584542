package org.likeness.gallery.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the system of record lives, by JDBC URL: an embedded SQLite file ({@link SqliteDatabase},
 * the default, one installation) or a PostgreSQL server that several Likeness servers share
 * ({@link PostgresDatabase}). What differs between the two is in those two classes: how a
 * connection is set up, the schema and its migrations, how a write transaction excludes other
 * writers, the media lock, the clock of leases and the few SQL expressions that are not portable.
 * The repositories, the audit trail and the key table take one of these and never ask which.
 */
public abstract sealed class Database permits SqliteDatabase, PostgresDatabase {
  /** Which database a URL names. */
  public enum Kind {
    /** An embedded SQLite file. */
    SQLITE,
    /** A PostgreSQL server. */
    POSTGRES
  }

  /** The file name of an installation's SQLite database under its home folder. */
  public static final String SQLITE_FILE = "likeness.db";

  private final String url;

  Database(String url) {
    this.url = url;
  }

  /** The SQLite database of the installation in {@code home} ({@code home/likeness.db}). */
  public static Database sqlite(Path home) {
    return new SqliteDatabase(home.resolve(SQLITE_FILE).toAbsolutePath());
  }

  /**
   * The database a JDBC URL names: {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://HOST:PORT/DB?user=…}.
   * Anything else is refused with a message that says what is accepted.
   */
  public static Database of(String url) {
    if (url == null || url.isBlank()) {
      throw new InvalidInputException("empty database URL");
    }
    String u = url.strip();
    if (u.startsWith("jdbc:sqlite:")) {
      String path = u.substring("jdbc:sqlite:".length());
      if (path.startsWith("file:")) {
        path = path.substring("file:".length());
      }
      if (path.isEmpty() || path.contains("?") || path.equals(":memory:")) {
        throw new InvalidInputException("a SQLite database URL names a file: jdbc:sqlite:/path/likeness.db (got " + u + ")");
      }
      return new SqliteDatabase(Path.of(path).toAbsolutePath());
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return new PostgresDatabase(u);
    }
    throw new InvalidInputException("unsupported database URL '" + redact(u)
        + "': use jdbc:sqlite:/path/likeness.db or jdbc:postgresql://host:port/database?user=…");
  }

  /** Which database this is. */
  public abstract Kind kind();

  /** The JDBC URL (it may hold a password: print {@link #toString()} instead). */
  public String url() {
    return url;
  }

  /** The SQLite file, or null for a server database. */
  public Path sqliteFile() {
    return null;
  }

  /** The URL without any password, for messages and logs. */
  @Override
  public String toString() {
    return redact(url);
  }

  static String redact(String u) {
    return u.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(//[^/@:]+:)[^@/]*@", "$1***@");
  }

  /** A new connection with the settings every user of the database needs. Open a store first so the schema exists. */
  public abstract Connection connect() throws SQLException;

  /**
   * Called first in every write transaction (auto-commit already off): waits for the one write
   * lock where the database does not take it when the transaction starts, held until commit or rollback.
   */
  public abstract void beginWrite(Connection c) throws SQLException;

  /**
   * Runs {@code work} on {@code c} in one write transaction: auto-commit off, the write lock
   * ({@link #beginWrite}), commit; rolled back when it throws. Inside a transaction already in
   * progress on {@code c} it joins that one (the outer call commits). The caller keeps other threads
   * off {@code c} meanwhile.
   */
  public <T> T inWrite(Connection c, Transactions.SqlWork<T> work) {
    return transaction(c, true, work);
  }

  /**
   * As {@link #inWrite}, without PostgreSQL's one write lock: for a change confined to rows its own
   * statements lock ({@code SELECT … FOR UPDATE SKIP LOCKED}, {@code UPDATE … WHERE}), touching no
   * other table and appending nothing to the audit chain, such as a video job's claim, renewals and
   * finish, so that servers polling and renewing leases do not queue behind every enrolment. On SQLite
   * a transaction excludes every other writer anyway. Inside a transaction in progress it joins it.
   */
  public <T> T inRowWrite(Connection c, Transactions.SqlWork<T> work) {
    return transaction(c, false, work);
  }

  /** What a query locking the rows it selects adds, skipping rows another transaction holds (empty where a transaction excludes every other writer). */
  public abstract String forUpdateSkipLocked();

  private <T> T transaction(Connection c, boolean writeLock, Transactions.SqlWork<T> work) {
    try {
      if (!c.getAutoCommit()) {
        return work.run(c);
      }
      c.setAutoCommit(false);
      try {
        if (writeLock) {
          beginWrite(c);
        }
        T t = work.run(c);
        // Committed by leaving manual commit, not by commit(): sqlite-jdbc's commit() begins the next
        // transaction at once (BEGIN IMMEDIATE, so the write lock again), and a writer of another
        // process holding it past the busy timeout would make a change that committed read as failed.
        c.setAutoCommit(true);
        return t;
      } catch (SQLException | RuntimeException e) {
        if (!c.getAutoCommit()) { // not committed: roll back, and say so beside the cause if that fails too
          try {
            c.rollback();
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
          try {
            c.setAutoCommit(true);
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }

  /** The SQL for a JSON column's text value at a path of object keys (null when absent or JSON null). */
  public abstract String jsonText(String column, String... keys);

  /**
   * Creates the schema, or brings it forward to this program's version, on a connection of its
   * own: for a user of the database that opens no store (the audit trail, the key table, a copy).
   */
  public void prepare() {
    try (Connection c = connect()) {
      migrate(c);
    } catch (SQLException e) {
      throw new StoreException("cannot open " + this + ": " + e.getMessage(), e);
    }
  }

  /**
   * Brings the schema forward to this program's version in one transaction, so two processes
   * opening a new database do not both migrate; refuses a database newer than this program.
   */
  abstract void migrate(Connection db) throws SQLException;

  /** Refuses a database whose schema is newer than this program's {@code steps}. */
  final void refuseNewer(int version, List<List<String>> steps) {
    if (version > steps.size()) {
      throw new StoreException(this + " has schema version " + version + ", newer than this program (" + steps.size() + ")");
    }
  }

  /** After a delete, makes the deleted bytes unrecoverable from the database's own files as far as the database allows. */
  abstract void purge(Connection db) throws SQLException;

  /**
   * Whether a delete leaves no readable copy in the database's own files ({@link #purge}); where it
   * does not, only sealing with the template key keeps deleted biometrics unreadable.
   */
  public abstract boolean erasesDeleted();

  /** The database's own consistency check: "ok" when sound. */
  abstract String integrityCheck(Connection db) throws SQLException;

  /**
   * The lock that keeps a second writer off one media while it is scanned, across threads,
   * processes and (on PostgreSQL) servers; a kill never leaves media locked.
   */
  abstract MediaLock lockMedia(String sha256);

  /**
   * Now, as the database server's clock tells it, where several hosts share the database (one
   * clock for every server's leases); empty where the database is a file of this host.
   */
  abstract Optional<Instant> serverTime(StoreSql sql);

  /**
   * A connection in a read transaction that sees one consistent snapshot of the database and holds
   * no write lock (a copy's source: the deployment's writers go on meanwhile). Roll it back when done.
   */
  final Connection openSnapshot() throws SQLException {
    Connection c = connectForReading();
    try {
      c.setAutoCommit(false);
      beginSnapshot(c);
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** A connection whose transactions take no write lock. */
  abstract Connection connectForReading() throws SQLException;

  /** Makes the transaction just begun on {@code c} (auto-commit off) one snapshot, read only. */
  abstract void beginSnapshot(Connection c) throws SQLException;

  /**
   * The last id each of {@code tables} has handed out (deleted rows' ids included: they are never
   * handed out again); a table that never handed one out is absent.
   */
  abstract java.util.Map<String, Long> idCounters(Connection c, List<String> tables) throws SQLException;

  /**
   * After rows were copied in with their ids, moves the id counters of {@code tables} past them and
   * past the source's {@code counters}, so that no id a deleted row of the source had is handed out again.
   */
  abstract void idsCopied(Connection c, List<String> tables, java.util.Map<String, Long> counters) throws SQLException;
}
