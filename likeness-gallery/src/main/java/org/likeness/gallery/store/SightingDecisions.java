package org.likeness.gallery.store;

import java.util.List;

/**
 * The decisions stored on sightings against a gallery, as a whole: what re-deciding them needs, the
 * re-decisions stored only where nothing newer was, and reviewers' verdicts following a subject that
 * is renamed, merged or deleted. Same connection and lock as the {@link ScanStore} it comes from.
 */
public final class SightingDecisions {
  private final JdbcGalleryStore store;

  SightingDecisions(JdbcGalleryStore store) {
    this.store = store;
  }

  /** A sighting identified against a gallery: what re-deciding it needs (its scan, number and link carry names along links). */
  public record Decided(long sightingId, long scanId, int number, Integer link, float[] template, String decisionJson, String verdict) {
    /** Whether a reviewer rejected the name it was decided as. */
    public boolean rejected() {
      return "rejected".equals(verdict);
    }
  }

  /** Whether any sighting of this gallery's scans carries a decision (else a change of subjects has nothing to re-decide). */
  public boolean hasDecisions(String gallery) {
    synchronized (store) {
      return !store.sql.query("SELECT 1 FROM sighting g JOIN scan s ON s.id = g.scan_id WHERE s.gallery = ? AND g.decision IS NOT NULL "
          + "LIMIT 1", r -> 1, gallery).isEmpty();
    }
  }

  /** Every sighting of this gallery's scans that carries a decision, with its template, by id. */
  public List<Decided> decided(String gallery) {
    return decided(gallery, null);
  }

  /** As {@link #decided(String)}, of one scan only when {@code scanId} is not null. */
  public List<Decided> decided(String gallery, Long scanId) {
    synchronized (store) {
      return store.sql.query("SELECT g.id, g.scan_id, g.number, g.template, g.decision, g.link, g.verdict FROM sighting g "
          + "JOIN scan s ON s.id = g.scan_id WHERE s.gallery = ? AND g.decision IS NOT NULL"
          + (scanId == null ? "" : " AND g.scan_id = ?") + " ORDER BY g.id", r -> new Decided(r.getLong(1), r.getLong(2), r.getInt(3),
          JdbcScanStore.integer(r, 6), Templates.decode(store.open(r.getBytes(4), JdbcScanStore.context(r.getLong(2), r.getInt(3)))), r.getString(5), r.getString(7)),
          scanId == null ? new Object[] {gallery} : new Object[] {gallery, scanId});
    }
  }

  /** A decision re-made: the sighting, the decision it was made from (as read), and the new one. */
  public record Redecision(long sightingId, String was, String now) {}

  /**
   * Stores new decisions in one transaction, each only if the stored decision is still the one it
   * was made from (a rescan or a new pass that committed meanwhile wins); verdicts stay. Returns
   * how many were stored.
   */
  public int redecided(List<Redecision> redecisions) {
    if (redecisions.isEmpty()) {
      return 0;
    }
    synchronized (store) {
      return store.sql.tx(() -> {
        int n = 0;
        for (Redecision r : redecisions) {
          n += store.sql.update("UPDATE sighting SET decision = ? WHERE id = ? AND decision = ?", r.now(), r.sightingId(), r.was());
        }
        return n;
      });
    }
  }

  /**
   * After a subject's deletion: reviewers' verdicts on it in this gallery's scans are cleared, so no
   * record of a match with a deleted person survives (its decisions are re-decided by the caller).
   * Returns the verdicts cleared.
   */
  public int clearVerdictsOn(String gallery, String subject) {
    synchronized (store) {
      return store.sql.tx(() -> store.sql.update("UPDATE sighting SET verdict = NULL, verdict_subject = NULL, verdict_by = NULL, "
          + "verdict_at = NULL WHERE verdict_subject = ? AND scan_id IN (SELECT id FROM scan WHERE gallery = ?)", subject, gallery));
    }
  }

  /** After a rename, or a merge of {@code from} into {@code to}: reviewers' verdicts in this gallery's scans follow the name. */
  public int renameVerdicts(String gallery, String from, String to) {
    synchronized (store) {
      return store.sql.tx(() -> store.sql.update("UPDATE sighting SET verdict_subject = ? WHERE verdict_subject = ? "
          + "AND scan_id IN (SELECT id FROM scan WHERE gallery = ?)", to, from, gallery));
    }
  }
}
