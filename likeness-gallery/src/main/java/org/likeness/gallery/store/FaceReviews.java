package org.likeness.gallery.store;

import java.util.HashMap;
import java.util.Map;

/**
 * Enrolment hygiene's marks on faces: which faces are suspects (kept out of searches until a person
 * confirms them) and which were confirmed. Same connection and lock as the {@link GalleryStore} it
 * comes from; every change moves the gallery's generation, so searches follow.
 */
public final class FaceReviews {
  /** A face that disagrees with its subject's others: kept out of decisions. */
  public static final String SUSPECT = "suspect";
  /** A face a person looked at and kept. */
  public static final String CONFIRMED = "confirmed";

  private final JdbcGalleryStore store;

  FaceReviews(JdbcGalleryStore store) {
    this.store = store;
  }

  /** Face id to subject id for the faces of a gallery that searches use: every face but the suspects. */
  public Map<Long, Long> searchable(long galleryId) {
    synchronized (store) {
      Map<Long, Long> out = new HashMap<>();
      store.sql.query("SELECT id, subject_id FROM face WHERE gallery_id = ? AND COALESCE(review, '') <> '" + SUSPECT + "'",
          r -> out.put(r.getLong(1), r.getLong(2)), galleryId);
      return out;
    }
  }

  /** The reviews of a subject's faces: face id to {@link #SUSPECT} or {@link #CONFIRMED} (faces never reviewed are absent). */
  public Map<Long, String> of(long subjectId) {
    synchronized (store) {
      Map<Long, String> out = new HashMap<>();
      store.sql.query("SELECT id, review FROM face WHERE subject_id = ? AND review IS NOT NULL", r -> out.put(r.getLong(1), r.getString(2)),
          subjectId);
      return out;
    }
  }

  /** Sets a face's review ({@link #SUSPECT}, {@link #CONFIRMED}, or null). */
  public void set(long galleryId, long faceId, String review) {
    synchronized (store) {
      if (store.face(galleryId, faceId).isEmpty()) {
        throw new NotFoundException("no face " + faceId + " in this gallery");
      }
      store.sql.tx(() -> store.sql.update("UPDATE face SET review = ? WHERE id = ?", review, faceId));
    }
  }

  /**
   * Sets a face's review only if it still is {@code expected} (null: no review): a check that read
   * the reviews earlier never overwrites what a person decided since. False when the face's review
   * had changed or the face is gone.
   */
  public boolean setIf(long galleryId, long faceId, String expected, String review) {
    synchronized (store) {
      return store.sql.tx(() -> expected == null
          ? store.sql.update("UPDATE face SET review = ? WHERE id = ? AND review IS NULL AND subject_id IN "
              + "(SELECT id FROM subject WHERE gallery_id = ?)", review, faceId, galleryId)
          : store.sql.update("UPDATE face SET review = ? WHERE id = ? AND review = ? AND subject_id IN "
              + "(SELECT id FROM subject WHERE gallery_id = ?)", review, faceId, expected, galleryId)) == 1;
    }
  }
}
