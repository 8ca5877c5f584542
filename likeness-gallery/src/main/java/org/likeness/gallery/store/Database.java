package org.likeness.gallery.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * Where the system of record lives, by JDBC URL: an embedded SQLite file (the default, one
 * installation) or a PostgreSQL server that several Likeness servers share. Everything that differs
 * between the two is here: how a connection is set up, the schema and its migrations, how a write
 * transaction excludes other writers, the media lock, and the few SQL expressions that are not
 * portable. Every store, the audit trail and the key table take one of these, so no other class
 * knows which database it talks to.
 */
public final class Database {
  /** Which database a URL names. */
  public enum Kind {
    /** An embedded SQLite file. */
    SQLITE,
    /** A PostgreSQL server. */
    POSTGRES
  }

  /** The file name of an installation's SQLite database under its home folder. */
  public static final String SQLITE_FILE = "likeness.db";

  /**
   * The advisory lock every PostgreSQL write transaction takes first: writers are serialised as
   * SQLite's are (its IMMEDIATE transactions), so every read-check-write in the stores stays one
   * step across servers and the audit chain cannot fork; readers never wait (MVCC).
   */
  private static final long WRITE_LOCK = 0x4c696b656e657373L; // "Likeness"
  /** The namespace of media locks (pg_advisory_lock(int, int)): distinct from the write lock's. */
  private static final int MEDIA_LOCK_SPACE = 0x4d656469; // "Medi"

  private final String url;
  private final Kind kind;
  private final Path sqliteFile;

  private Database(String url, Kind kind, Path sqliteFile) {
    this.url = url;
    this.kind = kind;
    this.sqliteFile = sqliteFile;
  }

  /** The SQLite database of the installation in {@code home} ({@code home/likeness.db}). */
  public static Database sqlite(Path home) {
    Path file = home.resolve(SQLITE_FILE).toAbsolutePath();
    return new Database("jdbc:sqlite:" + file, Kind.SQLITE, file);
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
      Path file = Path.of(path).toAbsolutePath();
      return new Database("jdbc:sqlite:" + file, Kind.SQLITE, file);
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return new Database(u, Kind.POSTGRES, null);
    }
    throw new InvalidInputException("unsupported database URL '" + redact(u)
        + "': use jdbc:sqlite:/path/likeness.db or jdbc:postgresql://host:port/database?user=…");
  }

  /** Which database this is. */
  public Kind kind() {
    return kind;
  }

  /** The JDBC URL (it may hold a password: print {@link #toString()} instead). */
  public String url() {
    return url;
  }

  /** The SQLite file, or null for a server database. */
  public Path sqliteFile() {
    return sqliteFile;
  }

  /** The URL without any password, for messages and logs. */
  @Override
  public String toString() {
    return redact(url);
  }

  private static String redact(String u) {
    return u.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(//[^/@:]+:)[^@/]*@", "$1***@");
  }

  /**
   * A new connection with the settings every user of the database needs. SQLite: WAL, full sync,
   * foreign keys, secure delete (deleted templates are overwritten, not just unlinked), immediate
   * write transactions and a busy timeout; the file and its folder are created owner-only. Open a
   * store first so the schema exists.
   */
  public Connection connect() throws SQLException {
    if (kind == Kind.SQLITE) {
      try {
        createOwnerOnly(sqliteFile);
      } catch (IOException e) {
        throw new SQLException("cannot create " + sqliteFile + ": " + e.getMessage(), e);
      }
      SQLiteConfig config = new SQLiteConfig();
      config.setBusyTimeout(15000);
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.enforceForeignKeys(true);
      config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
      // Writers take the lock when the transaction starts: no deadlocked upgrades between processes.
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      return DriverManager.getConnection(url, config.toProperties());
    }
    Properties p = new Properties();
    p.setProperty("ApplicationName", "likeness");
    p.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(url, p);
  }

  /**
   * Creates the file's folder (rwx------) and an empty database file (rw-------) where missing, so
   * the templates are never readable by other users: SQLite gives its -wal and -shm files the
   * database file's permissions. Existing files are left as they are; without POSIX permissions, the defaults.
   */
  private static void createOwnerOnly(Path db) throws IOException {
    Path home = db.getParent();
    boolean posix = home.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(home)) {
      if (posix) {
        Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(home);
      }
    }
    if (posix && !Files.exists(db)) {
      try {
        Files.createFile(db, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another process created it first
      }
    }
  }

  /**
   * Called first in every write transaction (auto-commit already off): on PostgreSQL, waits for the
   * one write lock, held until commit or rollback. On SQLite the transaction already holds it.
   */
  public void beginWrite(Connection c) throws SQLException {
    if (kind == Kind.POSTGRES) {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
      }
    }
  }

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

  /** What a query locking the rows it selects adds, skipping rows another transaction holds: PostgreSQL only. */
  public String forUpdateSkipLocked() {
    return kind == Kind.POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
  }

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
        c.commit();
        return t;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }

  /** The SQL for a JSON column's text value at a path of object keys (null when absent or JSON null). */
  public String jsonText(String column, String... keys) {
    if (kind == Kind.SQLITE) {
      return "json_extract(" + column + ", '$." + String.join(".", keys) + "')";
    }
    return "(" + column + "::jsonb #>> '{" + String.join(",", keys) + "}')";
  }

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
  void migrate(Connection db) throws SQLException {
    if (kind == Kind.SQLITE) {
      migrateSqlite(db);
    } else {
      migratePostgres(db);
    }
  }

  private void migrateSqlite(Connection db) throws SQLException {
    // Foreign keys off while migrating (SQLite's way to rebuild a table others refer to: dropping
    // it would otherwise cascade), checked before commit; the pragma is a no-op inside a transaction.
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA foreign_keys = OFF");
    }
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      // The transaction is IMMEDIATE: the write lock is held before the version is read.
      int version;
      try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
        version = r.getInt(1);
      }
      List<List<String>> steps = Schema.SQLITE;
      if (version > steps.size()) {
        throw new StoreException(this + " has schema version " + version + ", newer than this program (" + steps.size() + ")");
      }
      for (int v = version; v < steps.size(); v++) {
        for (String stmt : steps.get(v)) {
          s.execute(stmt);
        }
        s.execute("PRAGMA user_version = " + (v + 1));
      }
      // checked only after a migration: on every open it would hold the write lock for a scan of every table
      try (ResultSet r = s.executeQuery(version < steps.size() ? "PRAGMA foreign_key_check" : "SELECT 1 WHERE 0")) {
        if (r.next()) {
          throw new StoreException("migrating " + this + " broke a reference from table " + r.getString(1));
        }
      }
      db.commit();
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA foreign_keys = ON");
      }
    }
  }

  private void migratePostgres(Connection db) throws SQLException {
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      beginWrite(db);
      s.execute("CREATE TABLE IF NOT EXISTS likeness_schema (version INTEGER NOT NULL)");
      int version;
      try (ResultSet r = s.executeQuery("SELECT version FROM likeness_schema")) {
        version = r.next() ? r.getInt(1) : 0;
      }
      List<List<String>> steps = Schema.POSTGRES;
      if (version > steps.size()) {
        throw new StoreException(this + " has schema version " + version + ", newer than this program (" + steps.size() + ")");
      }
      for (int v = version; v < steps.size(); v++) {
        for (String stmt : steps.get(v)) {
          s.execute(stmt);
        }
      }
      if (version < steps.size()) {
        s.execute("DELETE FROM likeness_schema");
        s.execute("INSERT INTO likeness_schema (version) VALUES (" + steps.size() + ")");
      }
      db.commit(); // DDL is transactional here: a failed step leaves the schema as it was
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  /**
   * After a delete, makes the deleted bytes unrecoverable from the database's own files as far as
   * the database allows. SQLite: the write-ahead log is copied into the file and truncated (secure
   * delete has already overwritten the pages). PostgreSQL: nothing here. Its VACUUM frees dead rows
   * without zeroing them, and its WAL and backups keep what they kept, so a synchronous vacuum per
   * delete would cost much (it held the store for the vacuum of every sighting) and protect little;
   * autovacuum reclaims the space, and the template key (sealing templates and crops before they
   * reach the database) is what keeps deleted biometrics unreadable there.
   */
  void purge(Connection db) throws SQLException {
    if (kind == Kind.SQLITE) {
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    }
  }

  /** The database's own consistency check: "ok" when sound. */
  String integrityCheck(Connection db) throws SQLException {
    if (kind == Kind.POSTGRES) {
      try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT version FROM likeness_schema")) {
        return r.next() && r.getInt(1) == Schema.POSTGRES.size() ? "ok" : "schema version mismatch";
      }
    }
    StringBuilder out = new StringBuilder();
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
      while (r.next()) {
        out.append(out.isEmpty() ? "" : "; ").append(r.getString(1));
      }
    }
    return out.toString();
  }

  /**
   * The lock that keeps a second writer off one media while it is scanned, across threads,
   * processes and (on PostgreSQL) servers. SQLite: a byte of a lock file beside the database.
   * PostgreSQL: a session advisory lock on a connection of its own, which the server drops when
   * the holder dies, so a kill never leaves media locked.
   */
  MediaLock lockMedia(String sha256) {
    if (kind == Kind.SQLITE) {
      return FileMediaLock.acquire(sqliteFile.resolveSibling(sqliteFile.getFileName() + ".media-lock"), sha256);
    }
    int key = (int) Long.parseUnsignedLong(sha256.substring(0, 8), 16);
    try {
      Connection c = connect();
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_lock(" + MEDIA_LOCK_SPACE + ", " + key + ")");
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      return () -> {
        try (c) {
          try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + MEDIA_LOCK_SPACE + ", " + key + ")");
          }
        } catch (SQLException e) {
          throw new StoreException("cannot release the lock of media " + sha256 + ": " + e.getMessage(), e);
        }
      };
    } catch (SQLException e) {
      throw new StoreException("cannot lock media " + sha256 + " in " + this + ": " + e.getMessage(), e);
    }
  }
}
