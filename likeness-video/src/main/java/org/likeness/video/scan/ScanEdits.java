package org.likeness.video.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.ConflictException;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;

/**
 * A reviewer's edits of stored scans: verdicts on the names given, and deletion for real. Each is
 * audited in its own transaction; reached through {@link ScanService#edits()}.
 */
public final class ScanEdits {
  private final GalleryStore store;
  private final ScanStore scans;
  private final GalleryService galleries;
  private final AuditLog audit;

  ScanEdits(GalleryStore store, GalleryService galleries, AuditLog audit) {
    this.store = store;
    this.scans = store.repositories().scans();
    this.galleries = galleries;
    this.audit = audit;
  }

  /**
   * Records a reviewer's verdict on a sighting's identity ({@code confirmed} or {@code rejected},
   * null to clear it): stored with who and when, audited, and shown beside every later decision.
   */
  public StoredSighting verdict(String actor, long scanId, int number, String verdict) {
    return verdict(actor, scanId, number, verdict, null);
  }

  /**
   * As {@link #verdict(String, long, int, String)}, refused ({@link ConflictException}) unless the
   * track still names {@code seen}, the subject the reviewer was shown (null: not checked): a
   * rescan, an enrolment or a deletion may have changed the decision since the page was drawn, and
   * a verdict on a name must be on the name the reviewer saw.
   */
  public StoredSighting verdict(String actor, long scanId, int number, String verdict, String seen) {
    if (verdict != null && !verdict.equals("confirmed") && !verdict.equals("rejected")) {
      throw new InvalidInputException("a verdict is 'confirmed' or 'rejected', not '" + verdict + "'");
    }
    StoredSighting[] before = new StoredSighting[1];
    StoredScan[] scan = new StoredScan[1];
    // The decision is read inside the verdict's transaction (under the write lock): a deletion or a
    // rescan committing in between cannot leave a verdict on a name the track no longer carries.
    StoredSighting after = store.inTransaction(() -> {
      StoredScan s = scans.requireScan(scanId);
      before[0] = scans.requireSighting(scanId, number);
      scan[0] = s;
      String subject = ScanService.decidedSubject(before[0].decisionJson());
      if (verdict != null && subject == null) {
        throw new InvalidInputException("track " + number + " of scan " + scanId + " names nobody: there is no identity to "
            + verdict.replace("ed", ""));
      }
      if (verdict != null && seen != null && !seen.equals(subject)) {
        throw new ConflictException("track " + number + " of scan " + scanId + " now names " + (subject == null ? "nobody" : subject)
            + ", not " + seen + " (decided again since it was shown): look again before giving a verdict");
      }
      Map<String, Object> in = new LinkedHashMap<>();
      in.put("scan", scanId);
      in.put("track", number);
      in.put("media", s.media().sha256());
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("verdict", verdict);
      out.put("subject", subject);
      StoredSighting v = scans.verdict(scanId, number, verdict, subject, actor); // the verdict and its record: one transaction
      audit.append(actor, "scan.verdict", s.gallery(), in, out);
      return v;
    });
    StoredScan s = scan[0];
    if (before[0].rejected() != after.rejected() && after.link() != null && s.gallery() != null) {
      // a rejected name stops (or starts again) being carried
      galleries.afterVerdicts(actor, "scan.verdict", s.gallery(), scanId, List.of(after.id()));
    }
    return after;
  }

  /**
   * Deletes a scan for real: its rows (secure delete overwrites the pages), the WAL's copy
   * (checkpoint), and the uploaded file the installation kept for it; audited.
   */
  public Deleted delete(String actor, long scanId) throws IOException {
    StoredScan s = scans.requireScan(scanId);
    String file = store.inTransaction(() -> { // the rows and the record: one transaction; the kept file goes once they are gone
      String kept = scans.delete(scanId);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("deletedScan", scanId);
      r.put("sightingsDeleted", s.sightings());
      r.put("storedFile", kept != null);
      audit.append(actor, "scan.delete", s.gallery(), Map.of("scan", scanId, "media", s.media().sha256()), r);
      return kept;
    });
    // Every copy outside the rows first, the checkpoint last: a checkpoint kept busy (reported as
    // an error) must not leave the kept file or a saved graph behind, which nothing would find again.
    boolean fileDeleted = store.checkpointAfter(() -> {
      boolean gone;
      try {
        org.likeness.gallery.cluster.SightingIndex.discardSaved(store); // saved graphs hold template vectors
      } finally {
        gone = file != null && Files.deleteIfExists(Path.of(file));
      }
      return gone;
    });
    return new Deleted(scanId, s.sightings(), fileDeleted);
  }

  /** A scan deleted for real: its number, its sightings, and whether a kept upload of its media was deleted with it. */
  public record Deleted(long deletedScan, int sightingsDeleted, boolean storedFileDeleted) {}

}
