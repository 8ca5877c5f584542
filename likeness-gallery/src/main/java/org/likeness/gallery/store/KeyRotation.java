package org.likeness.gallery.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rotates the template key: every sealed template and crop (enrolled faces and sightings) is
 * opened with the old key (or read as it is, when stored before any key) and sealed with the new
 * one in one write transaction; then every kept media file is re-sealed with the new key (or
 * sealed, when kept plain), and every upload waiting in the job queue re-sealed, each replaced atomically. It can be run again after a crash: values and
 * files the new key already opens are left as they are. Run it with the servers stopped (they would
 * go on sealing with the old key), then give every server the new key.
 */
public final class KeyRotation {
  private final Database database;
  private final Storage storage;
  private final TemplateCipher old;
  private final TemplateCipher next;

  /** A rotation of the installation's database and kept media from {@code old} (null: values stored unencrypted) to {@code next}. */
  public KeyRotation(Storage storage, TemplateCipher old, TemplateCipher next) {
    this.storage = storage;
    this.database = storage.database();
    this.old = old;
    this.next = next;
  }

  /** What a rotation re-sealed. */
  public record Result(long faces, long sightings, long mediaFiles, long alreadyRotated) {}

  /** Runs the rotation. */
  public Result run() {
    database.prepare();
    long[] already = {0};
    long faces, sightings;
    List<String[]> media = new ArrayList<>();
    List<String> queued = new ArrayList<>();
    try (Connection c = database.connect()) {
      c.setAutoCommit(false);
      try {
        database.beginWrite(c);
        faces = reseal(c, "face", "gallery_id || '/' || image_sha256", already);
        sightings = reseal(c, "sighting", "'scan/' || scan_id || '/' || number", already);
        try (PreparedStatement p = c.prepareStatement("SELECT id, stored_file FROM media WHERE stored_file IS NOT NULL ORDER BY id");
            ResultSet r = p.executeQuery()) {
          while (r.next()) {
            media.add(new String[] {Long.toString(r.getLong(1)), r.getString(2)});
          }
        }
        // uploads waiting in the job queue (sealed when queued): the server that scans them opens them with the new key
        try (PreparedStatement p = c.prepareStatement("SELECT upload FROM job WHERE state IN ('queued', 'running') ORDER BY created, id");
            ResultSet r = p.executeQuery()) {
          while (r.next()) {
            queued.add(r.getString(1));
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("rotating the template key in " + database + " failed: " + e.getMessage(), e);
    }
    long files = 0;
    // the store under the new key: a file kept plain is sealed by the store's own step for kept uploads
    try (GalleryStore store = GalleryStore.open(storage, next)) {
      ScanStore scans = store.repositories().scans();
      for (String[] m : media) {
        try {
          if (resealFile(scans, Long.parseLong(m[0]), Path.of(storage.fromStored(m[1])))) {
            files++;
          } else {
            already[0]++;
          }
        } catch (IOException e) {
          throw new StoreException("re-sealing kept media " + m[1] + " failed (run the rotation again to finish): " + e.getMessage(), e);
        }
      }
    }
    for (String u : queued) {
      Path file = Path.of(storage.fromStored(u));
      try {
        if (!Files.isRegularFile(file) || !SealedMedia.isSealed(file)) {
          continue; // gone, or queued before any key: the server that scans it seals what it keeps
        }
        if (resealSealed(file)) {
          files++;
        } else {
          already[0]++;
        }
      } catch (IOException e) {
        throw new StoreException("re-sealing queued upload " + u + " failed (run the rotation again to finish): " + e.getMessage(), e);
      }
    }
    return new Result(faces, sightings, files, already[0]);
  }

  /** Re-seals the template and crop of every row of {@code table}; returns the rows changed. */
  private long reseal(Connection c, String table, String contextSql, long[] already) throws SQLException {
    long n = 0;
    try (PreparedStatement read = c.prepareStatement("SELECT id, " + contextSql + ", template, crop FROM " + table + " ORDER BY id");
        PreparedStatement write = c.prepareStatement("UPDATE " + table + " SET template = ?, crop = ? WHERE id = ?");
        ResultSet r = read.executeQuery()) {
      while (r.next()) {
        String context = r.getString(2);
        byte[] template = r.getBytes(3), crop = r.getBytes(4);
        if (opensWithNext(template, context)) {
          already[0]++;
          continue;
        }
        write.setBytes(1, next.encrypt(plain(template, context), context));
        write.setBytes(2, crop == null ? null : next.encrypt(plain(crop, context), context));
        write.setLong(3, r.getLong(1));
        write.addBatch();
        if (++n % 500 == 0) {
          write.executeBatch();
        }
      }
      write.executeBatch();
    }
    return n;
  }

  private boolean opensWithNext(byte[] value, String context) {
    if (!TemplateCipher.isEncrypted(value)) {
      return false;
    }
    try {
      next.decrypt(value, context);
      return true;
    } catch (StoreException e) {
      return false;
    }
  }

  private byte[] plain(byte[] value, String context) {
    if (!TemplateCipher.isEncrypted(value)) {
      return value;
    }
    if (old == null) {
      throw new StoreException("a value is sealed with a key and no old key was given (set LIKENESS_TEMPLATE_KEY to it)");
    }
    return old.decrypt(value, context);
  }

  /** Re-seals (or seals) one kept file under the new key; false when the new key already opens it. */
  private boolean resealFile(ScanStore scans, long mediaId, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    if (!SealedMedia.isSealed(file)) { // kept plain, before any key
      scans.sealKept(mediaId);
      return true;
    }
    return resealSealed(file);
  }

  /** Re-seals one sealed file (kept media or a queued upload) under the new key; false when the new key already opens it. */
  private boolean resealSealed(Path file) throws IOException {
    if (opens(next.media(), file)) {
      return false;
    }
    if (old == null) {
      throw new IOException(file + " is sealed and no old key was given");
    }
    old.media().reseal(file, next.media(), file); // written beside it, then moved over it
    return true;
  }

  private static boolean opens(SealedMedia sealer, Path file) {
    try {
      sealer.read(file, 0, Math.min(1, sealer.length(file)), java.io.OutputStream.nullOutputStream());
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
