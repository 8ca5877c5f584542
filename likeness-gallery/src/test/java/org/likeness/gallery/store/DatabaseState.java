package org.likeness.gallery.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * For tests of what a failed change leaves: every row of every table but the audit trail, as
 * text (to compare before and after), and a trigger that makes the database refuse audit records
 * while it is armed, on SQLite and on PostgreSQL.
 */
public final class DatabaseState {
  private DatabaseState() {}

  /** Every row of every table except {@code audit}, each table's rows sorted: equal strings, equal state. */
  public static String rows(Database db) {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet r = s.executeQuery(db.kind() == Database.Kind.SQLITE
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
          : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
      TreeMap<String, List<String>> out = new TreeMap<>();
      for (String t : tables) {
        if (t.equals("audit")) {
          continue;
        }
        List<String> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT * FROM " + t)) {
          ResultSetMetaData m = r.getMetaData();
          while (r.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= m.getColumnCount(); i++) {
              Object v = r.getObject(i);
              row.append(i > 1 ? "|" : "").append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v));
            }
            rows.add(row.toString());
          }
        }
        rows.sort(null);
        out.put(t, rows);
      }
      return out.toString();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The number of audit records. */
  public static long auditRecords(Database db) {
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM audit")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Makes {@code db} refuse every audit record from now until the returned handle is closed. */
  public static AutoCloseable refuseAudit(Database db) {
    execute(db, db.kind() == Database.Kind.SQLITE
        ? "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END"
        : "CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$ "
            + "LANGUAGE plpgsql",
        db.kind() == Database.Kind.SQLITE ? null : "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION refuse_audit()");
    return () -> execute(db, db.kind() == Database.Kind.SQLITE ? "DROP TRIGGER refuse_audit" : "DROP TRIGGER refuse_audit ON audit", null);
  }

  private static void execute(Database db, String first, String second) {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(first);
      if (second != null) {
        s.execute(second);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
