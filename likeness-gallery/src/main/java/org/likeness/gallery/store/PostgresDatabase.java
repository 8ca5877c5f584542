package org.likeness.gallery.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** A PostgreSQL server: the system of record that several Likeness servers share. */
final class PostgresDatabase extends Database {
  /**
   * The advisory lock every write transaction takes first: writers are serialised as SQLite's are
   * (its IMMEDIATE transactions), so every read-check-write in the stores stays one step across
   * servers and the audit chain cannot fork; readers never wait (MVCC).
   */
  private static final long WRITE_LOCK = 0x4c696b656e657373L; // "Likeness"
  /** The namespace of media locks (pg_advisory_lock(int, int)): distinct from the write lock's. */
  private static final int MEDIA_LOCK_SPACE = 0x4d656469; // "Medi"

  PostgresDatabase(String url) {
    super(url);
  }

  @Override
  public Kind kind() {
    return Kind.POSTGRES;
  }

  @Override
  public Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("ApplicationName", "likeness");
    p.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(url(), p);
  }

  /** Waits for the one write lock, held until commit or rollback. */
  @Override
  public void beginWrite(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
    }
  }

  @Override
  public String forUpdateSkipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public String jsonText(String column, String... keys) {
    return "(" + column + "::jsonb #>> '{" + String.join(",", keys) + "}')";
  }

  @Override
  void migrate(Connection db) throws SQLException {
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      beginWrite(db);
      s.execute("CREATE TABLE IF NOT EXISTS likeness_schema (version INTEGER NOT NULL)");
      int version;
      try (ResultSet r = s.executeQuery("SELECT version FROM likeness_schema")) {
        version = r.next() ? r.getInt(1) : 0;
      }
      List<List<String>> steps = Schema.POSTGRES;
      refuseNewer(version, steps);
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
   * Nothing. VACUUM frees dead rows without zeroing them, and the WAL and backups keep what they
   * kept, so a synchronous vacuum per delete would cost much (it held the store for the vacuum of
   * every sighting) and protect little; autovacuum reclaims the space, and the template key
   * (sealing templates and crops before they reach the database) is what keeps deleted biometrics
   * unreadable here.
   */
  @Override
  void purge(Connection db) {}

  @Override
  public boolean erasesDeleted() {
    return false;
  }

  @Override
  String integrityCheck(Connection db) throws SQLException {
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT version FROM likeness_schema")) {
      return r.next() && r.getInt(1) == Schema.POSTGRES.size() ? "ok" : "schema version mismatch";
    }
  }

  /** A session advisory lock on a connection of its own, which the server drops when the holder dies. */
  @Override
  MediaLock lockMedia(String sha256) {
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

  @Override
  Optional<Instant> serverTime(StoreSql sql) {
    java.math.BigDecimal seconds = sql.query("SELECT EXTRACT(EPOCH FROM clock_timestamp())", r -> r.getBigDecimal(1)).get(0);
    return Optional.of(Instant.ofEpochMilli(seconds.movePointRight(3).longValue()));
  }

  /** Its writers take the write lock explicitly ({@link #beginWrite}): any connection reads without it. */
  @Override
  Connection connectForReading() throws SQLException {
    return connect();
  }

  @Override
  void beginSnapshot(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
  }

  @Override
  java.util.Map<String, Long> idCounters(Connection c, List<String> tables) throws SQLException {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    try (Statement s = c.createStatement()) {
      for (String t : tables) {
        try (java.sql.ResultSet r = s.executeQuery("SELECT last_value, is_called FROM " + sequence(s, t))) {
          if (r.next()) { // not called yet (set by a copy, say): the next id is last_value itself
            out.put(t, r.getBoolean(2) ? r.getLong(1) : r.getLong(1) - 1);
          }
        }
      }
    }
    return out;
  }

  private static String sequence(Statement s, String table) throws SQLException {
    try (java.sql.ResultSet r = s.executeQuery("SELECT pg_get_serial_sequence('" + table + "', 'id')")) {
      r.next();
      return r.getString(1);
    }
  }

  /** Identity sequences do not follow ids inserted explicitly: each is set past its table's largest id and the source's counter. */
  @Override
  void idsCopied(Connection c, List<String> tables, java.util.Map<String, Long> counters) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String t : tables) {
        long counter = counters.getOrDefault(t, 0L);
        s.execute("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), GREATEST(COALESCE((SELECT MAX(id) FROM " + t + "), 0), "
            + counter + ") + 1, false)");
      }
    }
  }
}
