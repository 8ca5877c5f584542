package org.likeness.gallery.audit;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.likeness.gallery.store.Database;
import org.likeness.gallery.store.Transactions;

/** The audit trail: one hash chain of every operation, appended in the transaction of the change it records, verifiable end to end. */
public interface AuditLog extends AutoCloseable {
  /** The hash the first record chains to. */
  String GENESIS = "0".repeat(64);

  /** Opens the audit trail of the SQLite installation in {@code home}. */
  static AuditLog open(Path home) {
    return open(Database.sqlite(home));
  }

  /**
   * Opens the audit trail in {@code database}, creating or migrating the schema first. Each record
   * it appends is a transaction of its own: for what changes nothing (a search, an export, a
   * refusal). A service that changes state records through {@link #within} its store.
   */
  static AuditLog open(Database database) {
    return JdbcAuditLog.open(database);
  }

  /**
   * This trail, appending through {@code transactions}: a record appended inside one of its write
   * transactions commits with the change it records, or rolls back with it, so no change is ever
   * without its record and no record claims a change that did not happen. Outside a transaction a
   * record is one of its own, as before. Reads stay on this log's connection; closing the view
   * closes nothing.
   */
  AuditLog within(Transactions transactions);

  /**
   * Appends a record: inside the change's transaction for a log made {@link #within} the store
   * that changed, else in a transaction of its own. Returns it.
   */
  AuditRecord append(String keyId, String operation, String gallery, Map<String, ?> inputs, Map<String, ?> results);

  /**
   * The result of checking the chain.
   *
   * @param records records checked
   * @param firstBad sequence number of the first altered or missing record, or -1 when intact
   * @param problem what is wrong with it, or null
   * @param headHash hash of the last record (keep it elsewhere to detect truncation)
   */
  record Verification(long records, long firstBad, String problem, String headHash) {
    /** Whether every record and link checked out. */
    public boolean intact() {
      return firstBad < 0;
    }
  }

  /** Recomputes every hash and link in order. */
  Verification verify();

  /** Writes every record as one JSON object per line. */
  long export(Writer out) throws IOException;

  /**
   * Writes the records about {@code gallery} (every record when null) as one JSON object per line;
   * records about no gallery are only in the whole trail. A part of the chain cannot be verified
   * on its own: {@code prev} names records left out.
   */
  long export(Writer out, String gallery) throws IOException;

  /** Streams records (for the admin page). */
  void forEach(Consumer<AuditRecord> sink);

  /** Closes the connection of a log {@link #open}ed; a view made {@link #within} a store closes nothing. */
  @Override
  void close();
}
