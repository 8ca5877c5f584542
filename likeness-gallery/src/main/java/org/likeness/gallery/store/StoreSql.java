package org.likeness.gallery.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Statements on one store connection: queries mapped row by row, updates, and write transactions
 * (nested ones join the outer). Not synchronised: the repositories that share it hold their
 * {@link GalleryStore}'s lock.
 */
final class StoreSql {
  private final Database database;
  private final Connection db;

  StoreSql(Database database, Connection db) {
    this.database = database;
    this.db = db;
  }

  @FunctionalInterface
  interface Row<T> {
    T map(ResultSet r) throws SQLException;
  }

  @FunctionalInterface
  interface Work<T> {
    T run() throws Exception;
  }

  <T> List<T> query(String sql, Row<T> row, Object... args) {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      bind(p, args);
      try (ResultSet r = p.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (r.next()) {
          out.add(row.map(r));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new StoreException("query failed: " + e.getMessage(), e);
    }
  }

  int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      bind(p, args);
      return p.executeUpdate();
    }
  }

  private static void bind(PreparedStatement p, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      p.setObject(i + 1, args[i]);
    }
  }

  /** Runs {@code work} in one transaction (nested calls join the outer one). */
  <T> T tx(Work<T> work) {
    return database.inWrite(db, unchecked(work));
  }

  /** As {@link #tx}, locking only the rows its statements lock (PostgreSQL: not the one write lock; {@link Database#inRowWrite}). */
  <T> T rowTx(Work<T> work) {
    return database.inRowWrite(db, unchecked(work));
  }

  String forUpdateSkipLocked() {
    return database.forUpdateSkipLocked();
  }

  private static <T> Transactions.SqlWork<T> unchecked(Work<T> work) {
    return c -> {
      try {
        return work.run();
      } catch (SQLException | StoreException e) {
        throw e;
      } catch (Exception e) {
        throw new StoreException(e.getMessage(), e);
      }
    };
  }

}
