package org.likeness.gallery.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.likeness.gallery.store.Database;
import org.likeness.gallery.store.StoreException;
import org.likeness.gallery.store.Transactions;

/**
 * The append-only audit trail, in the installation's database. Each record carries the hash of
 * the one before, so altering or removing a record breaks the chain from there on, which
 * {@link #verify} reports by sequence number. Removing records from the end leaves a shorter valid
 * chain: keep {@link Verification#headHash} somewhere else to detect that too.
 */
final class JdbcAuditLog implements AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Database database;
  /** Reads, and the appends of a log that records no store's changes. */
  private final Connection db;
  /** Guards {@link #db}; shared with the views {@link #within} makes. */
  private final Object lock;
  /** Where records are appended: null for {@link #db} in transactions of their own. */
  private final Transactions writes;
  private final boolean owner;

  private JdbcAuditLog(Database database, Connection db, Object lock, Transactions writes, boolean owner) {
    this.database = database;
    this.db = db;
    this.lock = lock;
    this.writes = writes;
    this.owner = owner;
  }

  /**
   * Opens the audit trail in {@code database}, creating or migrating the schema first. Each record
   * it appends is a transaction of its own: for what changes nothing (a search, an export, a
   * refusal). A service that changes state records through {@link #within} its store.
   */
  static AuditLog open(Database database) {
    database.prepare();
    try {
      return new JdbcAuditLog(database, database.connect(), new Object(), null, true);
    } catch (SQLException e) {
      throw new StoreException("cannot open the audit trail: " + e.getMessage(), e);
    }
  }

  @Override
  public AuditLog within(Transactions transactions) {
    if (!transactions.database().url().equals(database.url())) {
      throw new IllegalArgumentException("the audit trail of " + database + " cannot record changes to " + transactions.database());
    }
    return transactions == writes ? this : new JdbcAuditLog(database, db, lock, transactions, false);
  }

  @Override
  public AuditRecord append(String keyId, String operation, String gallery, Map<String, ?> inputs, Map<String, ?> results) {
    String in, out;
    try {
      in = JSON.writeValueAsString(inputs);
      out = JSON.writeValueAsString(results);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot append to the audit trail: " + e.getMessage(), e);
    }
    Transactions.SqlWork<AuditRecord> insert = c -> insert(c, keyId, operation, gallery, in, out);
    try {
      if (writes != null) {
        return writes.write(insert);
      }
      synchronized (lock) {
        return database.inWrite(db, insert);
      }
    } catch (StoreException e) {
      throw new StoreException("cannot append to the audit trail: " + e.getMessage(), e);
    }
  }

  /** The next link of the chain, on {@code c} inside a write transaction (the write lock held: the chain cannot fork). */
  private static AuditRecord insert(Connection c, String keyId, String operation, String gallery, String in, String out)
      throws SQLException {
    long seq;
    String prev;
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
      seq = r.next() ? r.getLong(1) + 1 : 1;
      prev = seq == 1 ? GENESIS : r.getString(2);
    }
    String time = Instant.now().toString();
    String hash = hash(seq, time, keyId, operation, gallery, in, out, prev);
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO audit (seq, time, key_id, operation, gallery, inputs, results, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, seq);
      p.setString(2, time);
      p.setString(3, keyId);
      p.setString(4, operation);
      p.setString(5, gallery);
      p.setString(6, in);
      p.setString(7, out);
      p.setString(8, prev);
      p.setString(9, hash);
      p.executeUpdate();
    }
    return new AuditRecord(seq, time, keyId, operation, gallery, in, out, prev, hash);
  }

  @Override
  public Verification verify() {
    synchronized (lock) {
      return verifyLocked();
    }
  }

  private Verification verifyLocked() {
    long expectedSeq = 1, n = 0;
    String prev = GENESIS;
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
        "SELECT seq, time, key_id, operation, gallery, inputs, results, prev, hash FROM audit ORDER BY seq")) {
      while (r.next()) {
        AuditRecord a = row(r);
        n++;
        if (a.seq() != expectedSeq) {
          return new Verification(n, expectedSeq, "record " + expectedSeq + " is missing", prev);
        }
        if (!a.prev().equals(prev)) {
          return new Verification(n, a.seq(), "record " + a.seq() + " does not link to the record before it", prev);
        }
        String h = hash(a.seq(), a.time(), a.keyId(), a.operation(), a.gallery(), a.inputs(), a.results(), a.prev());
        if (!h.equals(a.hash())) {
          return new Verification(n, a.seq(), "record " + a.seq() + " was altered (its hash does not match its content)", prev);
        }
        prev = a.hash();
        expectedSeq++;
      }
      return new Verification(n, -1, null, prev);
    } catch (SQLException e) {
      throw new StoreException("cannot read the audit trail: " + e.getMessage(), e);
    }
  }

  @Override
  public long export(Writer out) throws IOException {
    return export(out, null);
  }

  @Override
  public long export(Writer out, String gallery) throws IOException {
    synchronized (lock) {
      return exportLocked(out, gallery);
    }
  }

  private long exportLocked(Writer out, String gallery) throws IOException {
    long n = 0;
    try (PreparedStatement p = db.prepareStatement("SELECT seq, time, key_id, operation, gallery, inputs, results, prev, hash "
        + "FROM audit" + (gallery == null ? "" : " WHERE gallery = ?") + " ORDER BY seq")) {
      if (gallery != null) {
        p.setString(1, gallery);
      }
      ResultSet r = p.executeQuery();
      while (r.next()) {
        AuditRecord a = row(r);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", a.seq());
        m.put("time", a.time());
        m.put("key", a.keyId());
        m.put("operation", a.operation());
        m.put("gallery", a.gallery());
        m.put("inputs", JSON.readTree(a.inputs()));
        m.put("results", JSON.readTree(a.results()));
        m.put("prev", a.prev());
        m.put("hash", a.hash());
        out.write(JSON.writeValueAsString(m));
        out.write('\n');
        n++;
      }
      out.flush();
      return n;
    } catch (SQLException e) {
      throw new StoreException("cannot read the audit trail: " + e.getMessage(), e);
    }
  }

  @Override
  public void forEach(Consumer<AuditRecord> sink) {
    synchronized (lock) {
      forEachLocked(sink);
    }
  }

  private void forEachLocked(Consumer<AuditRecord> sink) {
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
        "SELECT seq, time, key_id, operation, gallery, inputs, results, prev, hash FROM audit ORDER BY seq")) {
      while (r.next()) {
        sink.accept(row(r));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the audit trail: " + e.getMessage(), e);
    }
  }

  private static AuditRecord row(ResultSet r) throws SQLException {
    return new AuditRecord(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
        r.getString(7), r.getString(8), r.getString(9));
  }

  static String hash(long seq, String time, String keyId, String operation, String gallery, String inputs, String results,
      String prev) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      // Length-prefixed fields: no two different records serialise to the same bytes.
      for (String f : new String[] {Long.toString(seq), time, String.valueOf(keyId), operation, String.valueOf(gallery),
          inputs, results, prev}) {
        byte[] b = f.getBytes(StandardCharsets.UTF_8);
        d.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        d.update((byte) ':');
        d.update(b);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (!owner) {
      return;
    }
    synchronized (lock) {
      try {
        db.close();
      } catch (SQLException e) {
        throw new StoreException(e.getMessage(), e);
      }
    }
  }
}
