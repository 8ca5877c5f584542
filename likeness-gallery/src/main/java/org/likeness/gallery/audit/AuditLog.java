package org.likeness.gallery.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

/**
 * The append-only audit trail, in the installation's database. Each record carries the hash of
 * the one before, so altering or removing a record breaks the chain from there on, which
 * {@link #verify} reports by sequence number. Removing records from the end leaves a shorter valid
 * chain: keep {@link Verification#headHash} somewhere else to detect that too.
 */
public final class AuditLog implements AutoCloseable {
  /** The hash the first record chains to. */
  public static final String GENESIS = "0".repeat(64);

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Database database;
  private final Connection db;

  private AuditLog(Database database, Connection db) {
    this.database = database;
    this.db = db;
  }

  /** Opens the audit trail of the SQLite installation in {@code home}. */
  public static AuditLog open(Path home) {
    return open(Database.sqlite(home));
  }

  /** Opens the audit trail in {@code database}, creating or migrating the schema first. */
  public static AuditLog open(Database database) {
    database.prepare();
    try {
      return new AuditLog(database, database.connect());
    } catch (SQLException e) {
      throw new StoreException("cannot open the audit trail: " + e.getMessage(), e);
    }
  }

  /** Appends a record in its own transaction; returns it. */
  public synchronized AuditRecord append(String keyId, String operation, String gallery, Map<String, ?> inputs,
      Map<String, ?> results) {
    try {
      String in = JSON.writeValueAsString(inputs), out = JSON.writeValueAsString(results);
      db.setAutoCommit(false);
      try {
        database.beginWrite(db); // the write lock is held from here (SQLite: IMMEDIATE), so the chain cannot fork
        long seq;
        String prev;
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
          seq = r.next() ? r.getLong(1) + 1 : 1;
          prev = seq == 1 ? GENESIS : r.getString(2);
        }
        String time = Instant.now().toString();
        String hash = hash(seq, time, keyId, operation, gallery, in, out, prev);
        try (PreparedStatement p = db.prepareStatement(
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
        db.commit();
        return new AuditRecord(seq, time, keyId, operation, gallery, in, out, prev, hash);
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new StoreException("cannot append to the audit trail: " + e.getMessage(), e);
    }
  }

  /**
   * The result of checking the chain.
   *
   * @param records records checked
   * @param firstBad sequence number of the first altered or missing record, or -1 when intact
   * @param problem what is wrong with it, or null
   * @param headHash hash of the last record (keep it elsewhere to detect truncation)
   */
  public record Verification(long records, long firstBad, String problem, String headHash) {
    public boolean intact() {
      return firstBad < 0;
    }
  }

  /** Recomputes every hash and link in order. */
  public synchronized Verification verify() {
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

  /** Writes every record as one JSON object per line. */
  public synchronized long export(Writer out) throws IOException {
    return export(out, null);
  }

  /**
   * Writes the records about {@code gallery} (every record when null) as one JSON object per line;
   * records about no gallery are only in the whole trail. A part of the chain cannot be verified
   * on its own: {@code prev} names records left out.
   */
  public synchronized long export(Writer out, String gallery) throws IOException {
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

  /** Streams records (for the admin page). */
  public synchronized void forEach(Consumer<AuditRecord> sink) {
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
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }
}
