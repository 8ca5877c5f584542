package org.likeness.gallery.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies everything from one database to another (SQLite to PostgreSQL and back): galleries,
 * subjects, faces, keys, the audit trail, media, scans, sightings, jobs, clusters and decisions,
 * row for row with their ids, so sealed templates (whose context names their ids) still open with
 * the same key and the audit chain keeps every hash. The target must hold no data; it is written in
 * one transaction, so a failed copy leaves it empty. Kept media files are not copied: they live in
 * the media folder, which the new deployment points at.
 */
public final class DatabaseCopy {
  /** Tables in an order that respects every reference. */
  static final List<String> TABLES = List.of("gallery", "subject", "face", "api_key", "audit", "media", "scan", "sighting", "job",
      "cluster", "cluster_member", "cluster_cannot", "cluster_decision");
  /** Tables whose ids the database assigns (their counters are moved past the copied ids). */
  private static final List<String> COUNTED = List.of("gallery", "subject", "face", "media", "scan", "sighting", "cluster",
      "cluster_decision");
  private static final int BATCH = 500;

  private final Database from;
  private final Database to;

  /** A copy from {@code from} to {@code to}. */
  public DatabaseCopy(Database from, Database to) {
    this.from = from;
    this.to = to;
  }

  /** Rows copied per table, in copy order. */
  public record Result(Map<String, Long> rows, Audit audit) {
    /** The source's audit trail as copied: records and the head hash (the genesis hash when empty), read in the copy's snapshot. */
    public record Audit(long records, String headHash) {}

    /** Every row copied. */
    public long total() {
      return rows.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Runs the copy; refuses a target that holds any row, or a source and target that are the same database. */
  public Result run() {
    if (from.url().equals(to.url())) {
      throw new InvalidInputException("--from and --to name the same database");
    }
    from.prepare();
    to.prepare();
    try (Connection src = from.openSnapshot(); Connection dst = to.connect()) {
      for (String t : TABLES) {
        if (count(dst, t) > 0) {
          throw new ConflictException("the target database already holds data (table " + t + "); copy into an empty one");
        }
      }
      dst.setAutoCommit(false);
      Map<String, Long> rows = new LinkedHashMap<>();
      try {
        to.beginWrite(dst);
        for (String t : TABLES) {
          rows.put(t, copyTable(src, dst, t));
        }
        to.idsCopied(dst, COUNTED, from.idCounters(src, COUNTED));
        Result.Audit audit = auditHead(src); // in the snapshot: what was copied, whatever was written since
        dst.commit();
        return new Result(rows, audit);
      } catch (SQLException | RuntimeException e) {
        dst.rollback();
        throw e;
      } finally {
        src.rollback();
      }
    } catch (SQLException e) {
      throw new StoreException("copying " + from + " to " + to + " failed: " + e.getMessage(), e);
    }
  }

  private static Result.Audit auditHead(Connection src) throws SQLException {
    try (Statement s = src.createStatement(); ResultSet r = s.executeQuery(
        "SELECT COUNT(*), (SELECT hash FROM audit ORDER BY seq DESC LIMIT 1) FROM audit")) {
      r.next();
      String head = r.getString(2);
      return new Result.Audit(r.getLong(1), head == null ? org.likeness.gallery.audit.AuditLog.GENESIS : head);
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static long copyTable(Connection src, Connection dst, String table) throws SQLException {
    long n = 0;
    try (Statement s = src.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
      ResultSetMetaData md = r.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        columns.add("\"" + md.getColumnName(i) + "\"");
      }
      String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
          + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
      try (PreparedStatement p = dst.prepareStatement(sql)) {
        while (r.next()) {
          for (int i = 1; i <= columns.size(); i++) {
            p.setObject(i, r.getObject(i));
          }
          p.addBatch();
          if (++n % BATCH == 0) {
            p.executeBatch();
          }
        }
        p.executeBatch();
      }
    }
    return n;
  }
}
