package org.likeness.gallery.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Clusters of unknown sightings, in the gallery store's database (same connection and lock as
 * {@link ScanStore}). A sighting is unknown when no subject claims it: its stored decision names
 * nobody, or a reviewer rejected the name. Each mutating call is one transaction.
 */
final class JdbcClusterStore implements ClusterStore {
  private final JdbcGalleryStore store;

  /** Clusters kept in {@code store}'s database. */
  JdbcClusterStore(JdbcGalleryStore store) {
    this.store = store;
    this.decidedSubject = store.database().jsonText("g.decision", "decision", "subject");
    this.unknownWhere = "(g.decision IS NULL OR " + decidedSubject + " IS NULL OR COALESCE(g.verdict, '') = 'rejected')";
  }

  // Never NULL (a NULL verdict compared is NULL, and NOT of that is NULL too: "NOT unknownWhere" then
  // selected no unreviewed named sighting, and named faces stayed in clusters of unknown people).
  private final String unknownWhere;
  /** The SQL of a sighting's decided subject (null: unknown). */
  private final String decidedSubject;

  @Override
  public List<Unknown> unknown(String packId) {
    return unknown(packId, "");
  }

  @Override
  public List<Unknown> unplaced(String packId) {
    return unknown(packId, " AND m.sighting_id IS NULL");
  }

  private List<Unknown> unknown(String packId, String andWhere) {
    synchronized (store) {
      return store.sql.query("SELECT g.id, g.scan_id, g.number, g.template, COALESCE(m.cluster_id, 0), COALESCE(m.pinned, 0) "
          + "FROM sighting g JOIN scan s ON s.id = g.scan_id LEFT JOIN cluster_member m ON m.sighting_id = g.id "
          + "WHERE s.pack_id = ? AND " + unknownWhere + andWhere + " ORDER BY g.id", r -> new Unknown(r.getLong(1), r.getLong(5),
          r.getInt(6) == 1, Templates.decode(store.open(r.getBytes(4), "scan/" + r.getLong(2) + "/" + r.getInt(3)))), packId);
    }
  }

  @Override
  public Membership membership(String packId) {
    synchronized (store) {
      return store.sql.query("SELECT COUNT(*), COALESCE(SUM(m.sighting_id), 0), COALESCE(SUM(m.cluster_id), 0), "
          + "COALESCE(SUM((m.sighting_id * 1000003 + m.cluster_id * 7 + m.pinned) % 2147483647), 0) "
          + "FROM cluster_member m JOIN cluster c ON c.id = m.cluster_id WHERE c.pack_id = ?",
          r -> new Membership(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)), packId).get(0);
    }
  }

  @Override
  public int releaseClaimed(String packId) {
    synchronized (store) {
      return store.sql.tx(() -> store.sql.update("DELETE FROM cluster_member WHERE (pinned = 0 OR cluster_id IN (SELECT id FROM cluster "
          + "WHERE subject IS NULL)) AND sighting_id IN (SELECT g.id FROM sighting g "
          + "JOIN scan s ON s.id = g.scan_id WHERE s.pack_id = ? AND NOT " + unknownWhere + ")", packId));
    }
  }

  @Override
  public List<Long> sightingsNamed(String packId, String gallery, String subject) {
    synchronized (store) {
      return store.sql.query("SELECT g.id FROM sighting g JOIN scan s ON s.id = g.scan_id WHERE s.pack_id = ? AND s.gallery = ? "
          + "AND " + decidedSubject + " = ? AND (g.verdict IS NULL OR g.verdict <> 'rejected') "
          + "UNION SELECT m.sighting_id FROM cluster_member m JOIN cluster c ON c.id = m.cluster_id WHERE c.pack_id = ? "
          + "AND c.gallery = ? AND c.subject = ? ORDER BY 1", r -> r.getLong(1), packId, gallery, subject, packId, gallery, subject);
    }
  }

  @Override
  public List<Cluster> clusters(String packId) {
    synchronized (store) {
      return store.sql.query(CLUSTER_SELECT + " WHERE c.pack_id = ? ORDER BY size DESC, c.id", JdbcClusterStore::clusterRow, packId);
    }
  }

  @Override
  public Optional<Cluster> cluster(long id) {
    synchronized (store) {
      return store.sql.query(CLUSTER_SELECT + " WHERE c.id = ?", JdbcClusterStore::clusterRow, id).stream().findFirst();
    }
  }

  @Override
  public Cluster requireCluster(long id) {
    return cluster(id).orElseThrow(() -> new NotFoundException("no cluster " + id));
  }

  @Override
  public List<Member> members(long clusterId) {
    synchronized (store) {
      return store.sql.query("SELECT sighting_id, cluster_id, pinned FROM cluster_member WHERE cluster_id = ? ORDER BY sighting_id",
          r -> new Member(r.getLong(1), r.getLong(2), r.getInt(3) == 1), clusterId);
    }
  }

  @Override
  public java.util.Map<Integer, Long> clustersOfScan(long scanId) {
    synchronized (store) {
      java.util.Map<Integer, Long> out = new java.util.HashMap<>();
      store.sql.query("SELECT g.number, m.cluster_id FROM cluster_member m JOIN sighting g ON g.id = m.sighting_id WHERE g.scan_id = ?",
          r -> out.put(r.getInt(1), r.getLong(2)), scanId);
      return out;
    }
  }

  @Override
  public Optional<Member> member(long sightingId) {
    synchronized (store) {
      return store.sql.query("SELECT sighting_id, cluster_id, pinned FROM cluster_member WHERE sighting_id = ?",
          r -> new Member(r.getLong(1), r.getLong(2), r.getInt(3) == 1), sightingId).stream().findFirst();
    }
  }

  @Override
  public List<Long> cannotLinks(long clusterId) {
    synchronized (store) {
      return store.sql.query("SELECT CASE WHEN a = ? THEN b ELSE a END FROM cluster_cannot WHERE a = ? OR b = ?", r -> r.getLong(1),
          clusterId, clusterId, clusterId);
    }
  }

  @Override
  public boolean cannotLink(long a, long b) {
    synchronized (store) {
      return !store.sql.query("SELECT 1 FROM cluster_cannot WHERE a = ? AND b = ?", r -> 1, Math.min(a, b), Math.max(a, b)).isEmpty();
    }
  }

  @Override
  public <T> T transaction(java.util.function.Supplier<T> work) {
    synchronized (store) {
      return store.sql.tx(work::get);
    }
  }

  @Override
  public int subjectRenamed(String gallery, String from, String to) {
    synchronized (store) {
      return store.sql.tx(() -> store.sql.update("UPDATE cluster SET subject = ?, gallery = ?, updated = ? WHERE gallery = ? AND subject = ?", to,
          to == null ? null : gallery, Instant.now().toString(), gallery, from));
    }
  }

  @Override
  public long newCluster(String packId, boolean locked) {
    synchronized (store) {
      return store.sql.tx(() -> {
        String now = Instant.now().toString();
        try (PreparedStatement p = store.db.prepareStatement("INSERT INTO cluster (pack_id, locked, created, updated) VALUES (?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
          p.setString(1, packId);
          p.setInt(2, locked ? 1 : 0);
          p.setString(3, now);
          p.setString(4, now);
          p.executeUpdate();
          try (ResultSet k = p.getGeneratedKeys()) {
            k.next();
            return k.getLong(1);
          }
        }
      });
    }
  }

  @Override
  public void restoreCluster(Cluster c) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("INSERT INTO cluster (id, pack_id, locked, subject, gallery, created, updated) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET pack_id = excluded.pack_id, locked = excluded.locked, "
          + "subject = excluded.subject, gallery = excluded.gallery, created = excluded.created, updated = excluded.updated", c.id(), c.packId(), c.locked() ? 1 : 0, c.subject(), c.gallery(), c.created().toString(),
          Instant.now().toString()));
    }
  }

  @Override
  public void updateCluster(long id, boolean locked, String subject, String gallery) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("UPDATE cluster SET locked = ?, subject = ?, gallery = ?, updated = ? WHERE id = ?", locked ? 1 : 0,
          subject, gallery, Instant.now().toString(), id));
    }
  }

  @Override
  public void place(long sightingId, long clusterId, boolean pinned) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("INSERT INTO cluster_member (sighting_id, cluster_id, pinned) VALUES (?, ?, ?) "
          + "ON CONFLICT (sighting_id) DO UPDATE SET cluster_id = excluded.cluster_id, pinned = excluded.pinned",
          sightingId, clusterId, pinned ? 1 : 0));
    }
  }

  @Override
  public void unplace(long sightingId) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("DELETE FROM cluster_member WHERE sighting_id = ?", sightingId));
    }
  }

  @Override
  public void lock(long clusterId) {
    synchronized (store) {
      store.sql.tx(() -> {
        store.sql.update("UPDATE cluster_member SET pinned = 1 WHERE cluster_id = ?", clusterId);
        return store.sql.update("UPDATE cluster SET locked = 1, updated = ? WHERE id = ?", Instant.now().toString(), clusterId);
      });
    }
  }

  @Override
  public void deleteCluster(long id) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("DELETE FROM cluster WHERE id = ?", id));
    }
  }

  @Override
  public void addCannotLink(long a, long b) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("INSERT INTO cluster_cannot (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING", Math.min(a, b), Math.max(a, b)));
    }
  }

  @Override
  public void removeCannotLink(long a, long b) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("DELETE FROM cluster_cannot WHERE a = ? AND b = ?", Math.min(a, b), Math.max(a, b)));
    }
  }

  @Override
  public int dropEmpty(String packId) {
    synchronized (store) {
      return store.sql.tx(() -> store.sql.update("DELETE FROM cluster WHERE pack_id = ? AND NOT EXISTS "
          + "(SELECT 1 FROM cluster_member m WHERE m.cluster_id = cluster.id)", packId));
    }
  }

  @Override
  public int replace(String packId, Map<Long, Integer> labels, Map<Integer, Long> lockedOf) {
    synchronized (store) {
      return store.sql.tx(() -> {
        store.sql.update("DELETE FROM cluster_member WHERE pinned = 0 AND cluster_id IN (SELECT id FROM cluster WHERE pack_id = ?)", packId);
        store.sql.update("DELETE FROM cluster WHERE pack_id = ? AND locked = 0", packId);
        Map<Integer, Long> target = new java.util.HashMap<>(lockedOf);
        int created = 0;
        for (Map.Entry<Long, Integer> e : labels.entrySet()) {
          Long c = target.get(e.getValue());
          if (c == null) {
            c = newCluster(packId, false);
            target.put(e.getValue(), c);
            created++;
          }
          store.sql.update("INSERT INTO cluster_member (sighting_id, cluster_id, pinned) VALUES (?, ?, 0) ON CONFLICT DO NOTHING", e.getKey(), c);
        }
        return created;
      });
    }
  }

  // ---- decisions
  public long logDecision(String packId, String actor, String action, String summaryJson, String undoJson) {
    synchronized (store) {
      return store.sql.tx(() -> {
        try (PreparedStatement p = store.db.prepareStatement("INSERT INTO cluster_decision (pack_id, time, actor, action, summary, undo) "
            + "VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
          p.setString(1, packId);
          p.setString(2, Instant.now().toString());
          p.setString(3, actor);
          p.setString(4, action);
          p.setString(5, summaryJson);
          p.setString(6, undoJson);
          p.executeUpdate();
          try (ResultSet k = p.getGeneratedKeys()) {
            k.next();
            return k.getLong(1);
          }
        }
      });
    }
  }

  @Override
  public Optional<Decision> lastDecision(String packId) {
    synchronized (store) {
      return store.sql.query("SELECT id, pack_id, time, actor, action, summary, undo, undone FROM cluster_decision WHERE pack_id = ? "
          + "AND undone IS NULL ORDER BY id DESC LIMIT 1", JdbcClusterStore::decisionRow, packId).stream().findFirst();
    }
  }

  @Override
  public List<Decision> decisions(String packId) {
    synchronized (store) {
      return store.sql.query("SELECT id, pack_id, time, actor, action, summary, undo, undone FROM cluster_decision WHERE pack_id = ? "
          + "ORDER BY id DESC", JdbcClusterStore::decisionRow, packId);
    }
  }

  @Override
  public boolean undone(long decisionId) {
    synchronized (store) {
      return store.sql.tx(() -> store.sql.update("UPDATE cluster_decision SET undone = ? WHERE id = ? AND undone IS NULL",
          Instant.now().toString(), decisionId)) == 1;
    }
  }

  private static Decision decisionRow(ResultSet r) throws SQLException {
    String undone = r.getString(8);
    return new Decision(r.getLong(1), r.getString(2), Instant.parse(r.getString(3)), r.getString(4), r.getString(5), r.getString(6),
        r.getString(7), undone == null ? null : Instant.parse(undone));
  }

  private static final String CLUSTER_SELECT = "SELECT c.id, c.pack_id, c.locked, c.subject, c.gallery, "
      + "(SELECT COUNT(*) FROM cluster_member m WHERE m.cluster_id = c.id) AS size, c.created, c.updated FROM cluster c";

  private static Cluster clusterRow(ResultSet r) throws SQLException {
    return new Cluster(r.getLong(1), r.getString(2), r.getInt(3) == 1, r.getString(4), r.getString(5), r.getInt(6),
        Instant.parse(r.getString(7)), Instant.parse(r.getString(8)));
  }
}
