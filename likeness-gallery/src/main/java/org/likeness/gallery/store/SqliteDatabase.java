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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/** An embedded SQLite file: one installation's system of record, the default. */
final class SqliteDatabase extends Database {
  private final Path file;

  SqliteDatabase(Path file) {
    super("jdbc:sqlite:" + file);
    this.file = file;
  }

  @Override
  public Kind kind() {
    return Kind.SQLITE;
  }

  @Override
  public Path sqliteFile() {
    return file;
  }

  /**
   * WAL, full sync, foreign keys, secure delete (deleted templates are overwritten, not just
   * unlinked), immediate write transactions and a busy timeout; the file and its folder are
   * created owner-only.
   */
  @Override
  public Connection connect() throws SQLException {
    // Writers take the lock when the transaction starts: no deadlocked upgrades between processes.
    return open(SQLiteConfig.TransactionMode.IMMEDIATE);
  }

  /** Its transactions are DEFERRED: no lock until the first read, no write lock at all for a reader. */
  @Override
  Connection connectForReading() throws SQLException {
    return open(SQLiteConfig.TransactionMode.DEFERRED);
  }

  /** A DEFERRED transaction holds its first read's snapshot of the WAL until it ends; writers of every process go on meanwhile. */
  @Override
  void beginSnapshot(Connection c) {}

  private Connection open(SQLiteConfig.TransactionMode mode) throws SQLException {
    try {
      createOwnerOnly(file);
    } catch (IOException e) {
      throw new SQLException("cannot create " + file + ": " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(15000);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
    config.setTransactionMode(mode);
    return DriverManager.getConnection(url(), config.toProperties());
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

  /** A transaction here is IMMEDIATE: it holds the write lock from its start. */
  @Override
  public void beginWrite(Connection c) {}

  @Override
  public String forUpdateSkipLocked() {
    return "";
  }

  @Override
  public String jsonText(String column, String... keys) {
    return "json_extract(" + column + ", '$." + String.join(".", keys) + "')";
  }

  @Override
  void migrate(Connection db) throws SQLException {
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
      refuseNewer(version, steps);
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

  /**
   * The write-ahead log is copied into the file and truncated (secure delete has already overwritten
   * the pages). SQLite does not fail a checkpoint that a reader or writer of another connection kept
   * from finishing (after waiting the busy timeout for it): it answers busy, leaving the deleted
   * pages' old copies in place. That is tried once more, then reported, so a deletion never reads as
   * erased while its old pages remain.
   */
  @Override
  void purge(Connection db) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        if (!r.next() || r.getInt(1) == 0) {
          return;
        }
      }
      if (attempt == 2) {
        throw new SQLException("the write-ahead log could not be checkpointed (another connection kept it busy): "
            + "the deleted rows' old pages are still in it until the next checkpoint");
      }
      try {
        Thread.sleep(200L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while checkpointing", e);
      }
    }
  }

  @Override
  public boolean erasesDeleted() {
    return true;
  }

  @Override
  String integrityCheck(Connection db) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
      while (r.next()) {
        out.append(out.isEmpty() ? "" : "; ").append(r.getString(1));
      }
    }
    return out.toString();
  }

  /** A byte of a lock file beside the database, which the system releases when the holder dies. */
  @Override
  MediaLock lockMedia(String sha256) {
    return FileMediaLock.acquire(file.resolveSibling(file.getFileName() + ".media-lock"), sha256);
  }

  @Override
  Optional<Instant> serverTime(StoreSql sql) {
    return Optional.empty();
  }

  /** AUTOINCREMENT counters are the rows of {@code sqlite_sequence}. */
  @Override
  java.util.Map<String, Long> idCounters(Connection c, List<String> tables) throws SQLException {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT name, seq FROM sqlite_sequence")) {
      while (r.next()) {
        if (tables.contains(r.getString(1))) {
          out.put(r.getString(1), r.getLong(2));
        }
      }
    }
    return out;
  }

  /** AUTOINCREMENT counters follow the largest id inserted; a source's higher counter (its last rows deleted) is carried over. */
  @Override
  void idsCopied(Connection c, List<String> tables, java.util.Map<String, Long> counters) throws SQLException {
    try (java.sql.PreparedStatement insert = c.prepareStatement(
            "INSERT INTO sqlite_sequence (name, seq) SELECT ?, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)");
        java.sql.PreparedStatement raise = c.prepareStatement("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?")) {
      for (var e : counters.entrySet()) {
        if (!tables.contains(e.getKey())) {
          continue;
        }
        insert.setString(1, e.getKey());
        insert.setString(2, e.getKey());
        insert.executeUpdate();
        raise.setLong(1, e.getValue());
        raise.setString(2, e.getKey());
        raise.executeUpdate();
      }
    }
  }
}
