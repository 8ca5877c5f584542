package org.likeness.gallery.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Scans and their sightings: the repository of what was found in media, and of reviewers' verdicts on it. */
public interface ScanStore {
  /** The store these scans are kept in. */
  GalleryStore store();

  /** What a scan says about its media file. */
  record NewMedia(String sha256, String kind, String path, long bytes, Double durationSeconds, Double fps, int width,
      int height, String storedFile) implements java.io.Serializable {}

  // ---- scans

  /**
   * What a save did: the scan as stored, whether it replaced an earlier scan of the same media for
   * the same gallery (whose id it kept), and the reviewers' verdicts on sightings that the new
   * pass no longer finds (those sightings are gone; every other verdict was carried over).
   */
  record Saved(StoredScan scan, boolean replaced, int verdictsCarried, int verdictsDropped) {}

  /** The lock that keeps a second writer (thread or process) off this media while it is scanned. */
  MediaLock lockMedia(String sha256);

  /**
   * Stores a scan and its sightings in one transaction. A scan of the same media by the same pack
   * for the same gallery is the same scan: it keeps its id, and each earlier sighting the new pass
   * finds again (same number, or the same face at the same time) keeps its id, its verdict and its
   * place in the unknown-face clusters, with the new pass's template, crop and decision; earlier
   * sightings not found again are deleted, and the verdicts that goes with are counted.
   */
  Saved save(NewMedia media, String packId, String gallery, Double sampledFps, int sampledFrames, String error,
      List<StoredSighting.New> sightings);

  /**
   * A new scan of media that another gallery's scan has already found the faces of (by this pack):
   * its sightings copied (templates and crops sealed anew for the new scan), without decisions or
   * verdicts, which belong to the other gallery's reviewers. The caller identifies them.
   */
  StoredScan copyFor(long fromScanId, String gallery, String label);

  /** Records that the installation now keeps a copy of this media (an upload of content scanned before from a path). */
  void keepFile(long mediaId, String storedFile);

  /**
   * Seals the media's kept file at rest when a template key is configured: the file is sealed
   * beside itself ({@code .sealed}), the media row points at the sealed copy (only if it still
   * points at the plain one), then the plain file is deleted. Without a key, or when already sealed,
   * nothing happens. Returns the kept file as it now is (null when none is kept).
   */
  String sealKept(long mediaId) throws java.io.IOException;

  /** Whether a media row keeps {@code file} as its stored copy (an upload becomes one once its scan is stored). */
  boolean keeps(String file);

  /** The scan of this media (by content hash) by this pack for this gallery (null: the scan made without one), if there is one. */
  Optional<StoredScan> scanOf(String sha256, String packId, String gallery);

  /** Every scan of this media (by content hash) by this pack, whatever its gallery, oldest first. */
  List<StoredScan> scansOf(String sha256, String packId);

  /** One scan. */
  Optional<StoredScan> scan(long id);

  /** A scan, or a clear {@link NotFoundException}. */
  StoredScan requireScan(long id);

  /** Every scan, newest first. */
  List<StoredScan> scans();

  /** A scan's sightings in number order, with templates and crops. */
  List<StoredSighting> sightings(long scanId);

  /** A sighting with the scan (and media) it comes from. */
  record Located(StoredSighting sighting, StoredScan scan) {}

  /** Sightings by id with their scans, in the order given (ids not found are left out). */
  List<Located> locate(List<Long> sightingIds);

  /** Every sighting of this pack's scans with its template (the appearance index's source), by id. */
  void forEachTemplate(String packId, java.util.function.BiConsumer<Long, float[]> sink);

  /** As {@link #forEachTemplate(String, java.util.function.BiConsumer)}, for sightings with id above {@code afterId}. */
  void forEachTemplate(String packId, long afterId, java.util.function.BiConsumer<Long, float[]> sink);

  /** The ids of this pack's sightings, ascending. */
  List<Long> sightingIds(String packId);

  /** Whether every one of these (distinct) sighting ids exists: counted by primary key, a chunk of ids per query. */
  boolean allExist(long[] ids);

  /** One sighting of a scan by its number. */
  StoredSighting requireSighting(long scanId, int number);

  /**
   * Records a new identification of a scan's sightings against {@code gallery} (a rescan), in one
   * transaction; verdicts are kept (the page shows them beside the new decision).
   */
  void identified(long scanId, String gallery, Map<Integer, String> decisionJsonByNumber);

  /** Records (or, with a null verdict, clears) a reviewer's verdict on one sighting. */
  StoredSighting verdict(long scanId, int number, String verdict, String subject, String by);

  /**
   * Deletes a scan and its sightings, and its media row when no other scan refers to it; returns
   * the media's stored file (for the caller to delete) or null. Secure delete overwrites the pages;
   * the caller checkpoints the WAL.
   */
  String delete(long scanId);

  /** The decisions on this store's sightings: re-deciding them, and verdicts following a subject's changes. */
  SightingDecisions decisions();
}
