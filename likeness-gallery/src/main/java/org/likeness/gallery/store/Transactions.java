package org.likeness.gallery.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Write transactions on one connection to the system of record: what a change and the rows that
 * go with it (its audit record, its undo log) share, so that they commit together or not at all.
 * A repository kept beside another's tables (the audit trail, API keys) writes through the
 * transactions of the store whose changes it records.
 */
public interface Transactions {
  /** JDBC work on the transaction's connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    /** Runs on {@code c}, inside the write transaction; must not commit, roll back or change auto-commit. */
    T run(Connection c) throws SQLException;
  }

  /** The database these transactions are on. */
  Database database();

  /**
   * Runs {@code work} in one write transaction (joining the one in progress on this connection,
   * when called from inside it), holding the connection for the whole of it; rolled back if
   * {@code work} throws.
   */
  <T> T write(SqlWork<T> work);
}
