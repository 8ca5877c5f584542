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
public final class ClusterStore {
  private final GalleryStore store;

  /** Clusters kept in {@code store}'s database. */
  public ClusterStore(GalleryStore store) {
    this.store = store;
    this.decidedSubject = store.database().jsonText("g.decision", "decision", "subject");
    this.unknownWhere = "(g.decision IS NULL OR " + decidedSubject + " IS NULL OR COALESCE(g.verdict, '') = 'rejected')";
  }

  /** One cluster: whether a reviewer locked it, the subject it was named as, and its size. */
  public record Cluster(long id, String packId, boolean locked, String subject, String gallery, int size, Instant created,
      Instant updated) {}

  /** A sighting's place: its cluster, and whether a reviewer put it there (then clustering never moves it). */
  public record Member(long sightingId, long clusterId, boolean pinned) {}

  /** An unknown sighting with its template (and the cluster it is in, or 0). */
  public record Unknown(long sightingId, long clusterId, boolean pinned, float[] template) {}

  /** A reviewer's decision as logged: what it did, and what undoing it needs (both JSON). */
  public record Decision(long id, String packId, Instant time, String actor, String action, String summaryJson, String undoJson,
      Instant undone) {}

  // Never NULL (a NULL verdict compared is NULL, and NOT of that is NULL too: "NOT unknownWhere" then
  // selected no unreviewed named sighting, and named faces stayed in clusters of unknown people).
  private final String unknownWhere;
  /** The SQL of a sighting's decided subject (null: unknown). */
  private final String decidedSubject;

  /** Every unknown sighting of this pack's scans with its template and its cluster (0 when unassigned), by id. */
  public List<Unknown> unknown(String packId) {
    return unknown(packId, "");
  }

  /** Unknown sightings of this pack in no cluster yet (a new scan's faces), with templates, by id. */
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

  /**
   * A fingerprint of this pack's memberships (count, id sums and a mixed sum): it changes with any
   * face added, removed or moved, so a copy of the memberships kept in memory can tell it is stale.
   */
  public record Membership(long count, long sightings, long clusters, long mixed) {}

  /** This pack's membership fingerprint (one pass over its memberships, no templates read). */
  public Membership membership(String packId) {
    synchronized (store) {
      return store.sql.query("SELECT COUNT(*), COALESCE(SUM(m.sighting_id), 0), COALESCE(SUM(m.cluster_id), 0), "
          + "COALESCE(SUM((m.sighting_id * 1000003 + m.cluster_id * 7 + m.pinned) % 2147483647), 0) "
          + "FROM cluster_member m JOIN cluster c ON c.id = m.cluster_id WHERE c.pack_id = ?",
          r -> new Membership(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)), packId).get(0);
    }
  }

  /**
   * Memberships of sightings a subject now claims (a rescan named them): they leave clustering.
   * A face a reviewer placed (pinned) in a cluster they named stays there; in a cluster of unknown
   * people it leaves too, since it is nobody unknown any more: a sighting has one place.
   */
  public int releaseClaimed(String packId) {
    synchronized (store) {
      return store.sql.tx(() -> store.sql.update("DELETE FROM cluster_member WHERE (pinned = 0 OR cluster_id IN (SELECT id FROM cluster "
          + "WHERE subject IS NULL)) AND sighting_id IN (SELECT g.id FROM sighting g "
          + "JOIN scan s ON s.id = g.scan_id WHERE s.pack_id = ? AND NOT " + unknownWhere + ")", packId));
    }
  }

  /**
   * Sightings that are {@code subject}: decided so by a scan against {@code gallery} (and not
   * rejected by a reviewer), or members of a cluster named so. By id.
   */
  public List<Long> sightingsNamed(String packId, String gallery, String subject) {
    synchronized (store) {
      return store.sql.query("SELECT g.id FROM sighting g JOIN scan s ON s.id = g.scan_id WHERE s.pack_id = ? AND s.gallery = ? "
          + "AND " + decidedSubject + " = ? AND (g.verdict IS NULL OR g.verdict <> 'rejected') "
          + "UNION SELECT m.sighting_id FROM cluster_member m JOIN cluster c ON c.id = m.cluster_id WHERE c.pack_id = ? "
          + "AND c.gallery = ? AND c.subject = ? ORDER BY 1", r -> r.getLong(1), packId, gallery, subject, packId, gallery, subject);
    }
  }

  /** This pack's clusters with their sizes, largest first (empty clusters are dropped as they empty). */
  public List<Cluster> clusters(String packId) {
    synchronized (store) {
      return store.sql.query(CLUSTER_SELECT + " WHERE c.pack_id = ? ORDER BY size DESC, c.id", ClusterStore::clusterRow, packId);
    }
  }

  /** One cluster. */
  public Optional<Cluster> cluster(long id) {
    synchronized (store) {
      return store.sql.query(CLUSTER_SELECT + " WHERE c.id = ?", ClusterStore::clusterRow, id).stream().findFirst();
    }
  }

  /** One cluster, or a clear {@link NotFoundException}. */
  public Cluster requireCluster(long id) {
    return cluster(id).orElseThrow(() -> new NotFoundException("no cluster " + id));
  }

  /** A cluster's members, by sighting id. */
  public List<Member> members(long clusterId) {
    synchronized (store) {
      return store.sql.query("SELECT sighting_id, cluster_id, pinned FROM cluster_member WHERE cluster_id = ? ORDER BY sighting_id",
          r -> new Member(r.getLong(1), r.getLong(2), r.getInt(3) == 1), clusterId);
    }
  }

  /** The unknown-faces cluster of each of a scan's sightings that is in one, by sighting number. */
  public java.util.Map<Integer, Long> clustersOfScan(long scanId) {
    synchronized (store) {
      java.util.Map<Integer, Long> out = new java.util.HashMap<>();
      store.sql.query("SELECT g.number, m.cluster_id FROM cluster_member m JOIN sighting g ON g.id = m.sighting_id WHERE g.scan_id = ?",
          r -> out.put(r.getInt(1), r.getLong(2)), scanId);
      return out;
    }
  }

  /** Where one sighting is, if anywhere. */
  public Optional<Member> member(long sightingId) {
    synchronized (store) {
      return store.sql.query("SELECT sighting_id, cluster_id, pinned FROM cluster_member WHERE sighting_id = ?",
          r -> new Member(r.getLong(1), r.getLong(2), r.getInt(3) == 1), sightingId).stream().findFirst();
    }
  }

  /** The clusters a reviewer said are not {@code clusterId}'s person. */
  public List<Long> cannotLinks(long clusterId) {
    synchronized (store) {
      return store.sql.query("SELECT CASE WHEN a = ? THEN b ELSE a END FROM cluster_cannot WHERE a = ? OR b = ?", r -> r.getLong(1),
          clusterId, clusterId, clusterId);
    }
  }

  /** Whether a reviewer said these two clusters are different people. */
  public boolean cannotLink(long a, long b) {
    synchronized (store) {
      return !store.sql.query("SELECT 1 FROM cluster_cannot WHERE a = ? AND b = ?", r -> 1, Math.min(a, b), Math.max(a, b)).isEmpty();
    }
  }

  /** Runs {@code work} as one transaction over the database (the editing calls below join it). */
  public <T> T transaction(java.util.function.Supplier<T> work) {
    synchronized (store) {
      return store.sql.tx(work::get);
    }
  }

  /**
   * After a subject of {@code gallery} is renamed (or merged into {@code to}): clusters named so
   * follow; with {@code to} null (the subject deleted) they are nobody's again, still reviewed (locked).
   * Returns the clusters changed.
   */
  public int subjectRenamed(String gallery, String from, String to) {
    synchronized (store) {
      return store.sql.tx(() -> store.sql.update("UPDATE cluster SET subject = ?, gallery = ?, updated = ? WHERE gallery = ? AND subject = ?", to,
          to == null ? null : gallery, Instant.now().toString(), gallery, from));
    }
  }

  /** A new, empty cluster. */
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

  /** Recreates a cluster row under its old id (undo). */
  public void restoreCluster(Cluster c) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("INSERT INTO cluster (id, pack_id, locked, subject, gallery, created, updated) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET pack_id = excluded.pack_id, locked = excluded.locked, "
          + "subject = excluded.subject, gallery = excluded.gallery, created = excluded.created, updated = excluded.updated", c.id(), c.packId(), c.locked() ? 1 : 0, c.subject(), c.gallery(), c.created().toString(),
          Instant.now().toString()));
    }
  }

  /** Sets a cluster's lock and name. */
  public void updateCluster(long id, boolean locked, String subject, String gallery) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("UPDATE cluster SET locked = ?, subject = ?, gallery = ?, updated = ? WHERE id = ?", locked ? 1 : 0,
          subject, gallery, Instant.now().toString(), id));
    }
  }

  /** Puts a sighting in a cluster (moving it from any other). */
  public void place(long sightingId, long clusterId, boolean pinned) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("INSERT INTO cluster_member (sighting_id, cluster_id, pinned) VALUES (?, ?, ?) "
          + "ON CONFLICT (sighting_id) DO UPDATE SET cluster_id = excluded.cluster_id, pinned = excluded.pinned",
          sightingId, clusterId, pinned ? 1 : 0));
    }
  }

  /** Takes a sighting out of every cluster. */
  public void unplace(long sightingId) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("DELETE FROM cluster_member WHERE sighting_id = ?", sightingId));
    }
  }

  /** Pins every current member of a cluster and locks it (a reviewer acted on it as it stands). */
  public void lock(long clusterId) {
    synchronized (store) {
      store.sql.tx(() -> {
        store.sql.update("UPDATE cluster_member SET pinned = 1 WHERE cluster_id = ?", clusterId);
        return store.sql.update("UPDATE cluster SET locked = 1, updated = ? WHERE id = ?", Instant.now().toString(), clusterId);
      });
    }
  }

  /** Deletes a cluster (its memberships go with it). */
  public void deleteCluster(long id) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("DELETE FROM cluster WHERE id = ?", id));
    }
  }

  /** Records that two clusters are different people. */
  public void addCannotLink(long a, long b) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("INSERT INTO cluster_cannot (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING", Math.min(a, b), Math.max(a, b)));
    }
  }

  /** Forgets that two clusters are different people (undo). */
  public void removeCannotLink(long a, long b) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("DELETE FROM cluster_cannot WHERE a = ? AND b = ?", Math.min(a, b), Math.max(a, b)));
    }
  }

  /** Drops this pack's clusters that hold no member. */
  public int dropEmpty(String packId) {
    synchronized (store) {
      return store.sql.tx(() -> store.sql.update("DELETE FROM cluster WHERE pack_id = ? AND NOT EXISTS "
          + "(SELECT 1 FROM cluster_member m WHERE m.cluster_id = cluster.id)", packId));
    }
  }

  /**
   * A full re-clustering's result, in one transaction: unpinned memberships and unlocked clusters
   * of the pack go; {@code labels} (sighting id to label) place each sighting: in the locked
   * cluster {@code lockedOf} names for its label, or in a new cluster per label.
   */
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

  /** Logs a reviewer's decision; returns its id. */
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

  /** The latest decision not yet undone, for this pack. */
  public Optional<Decision> lastDecision(String packId) {
    synchronized (store) {
      return store.sql.query("SELECT id, pack_id, time, actor, action, summary, undo, undone FROM cluster_decision WHERE pack_id = ? "
          + "AND undone IS NULL ORDER BY id DESC LIMIT 1", ClusterStore::decisionRow, packId).stream().findFirst();
    }
  }

  /** Every decision of this pack, newest first. */
  public List<Decision> decisions(String packId) {
    synchronized (store) {
      return store.sql.query("SELECT id, pack_id, time, actor, action, summary, undo, undone FROM cluster_decision WHERE pack_id = ? "
          + "ORDER BY id DESC", ClusterStore::decisionRow, packId);
    }
  }

  /** Marks a decision undone. */
  public void undone(long decisionId) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("UPDATE cluster_decision SET undone = ? WHERE id = ?", Instant.now().toString(), decisionId));
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
