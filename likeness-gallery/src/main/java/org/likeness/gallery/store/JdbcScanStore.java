package org.likeness.gallery.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.likeness.engine.geom.Box;

/**
 * Scans and their sightings, in the gallery store's database (same
 * connection, same lock, same cipher: a sighting's template and crop are sealed like an enrolled
 * face's). Each mutating call is one transaction, so a kill mid-write leaves the previous state.
 */
final class JdbcScanStore implements ScanStore {
  private final JdbcGalleryStore store;

  /** Scans kept in {@code store}'s database. */
  JdbcScanStore(JdbcGalleryStore store) {
    this.store = store;
  }

  @Override
  public GalleryStore store() {
    return store;
  }

  @Override
  public MediaLock lockMedia(String sha256) {
    return store.database().lockMedia(sha256);
  }

  @Override
  public Saved save(NewMedia media, String packId, String gallery, Double sampledFps, int sampledFrames, String error,
      List<StoredSighting.New> sightings) {
    synchronized (store) {
      return store.sql.tx(() -> {
        String now = Instant.now().toString();
        List<Long> known = store.sql.query("SELECT id FROM media WHERE sha256 = ?", r -> r.getLong(1), media.sha256());
        long mediaId;
        if (known.isEmpty()) {
          mediaId = insert("INSERT INTO media (sha256, kind, path, bytes, duration, fps, width, height, stored_file, created) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", media.sha256(), media.kind(), media.path(), media.bytes(),
              media.durationSeconds(), media.fps(), media.width(), media.height(), store.storage().toStored(media.storedFile()), now);
        } else {
          mediaId = known.get(0);
          store.sql.update("UPDATE media SET stored_file = COALESCE(stored_file, ?) WHERE id = ?", store.storage().toStored(media.storedFile()),
              mediaId);
        }
        // IS NOT DISTINCT FROM: equality that takes NULL (a scan made without a gallery) as a value
        List<Long> earlier = store.sql.query("SELECT id FROM scan WHERE media_id = ? AND pack_id = ? AND gallery IS NOT DISTINCT FROM ?",
            r -> r.getLong(1), mediaId, packId, gallery);
        long scanId;
        List<StoredSighting> before = List.of();
        if (earlier.isEmpty()) {
          scanId = insert("INSERT INTO scan (media_id, pack_id, gallery, sampled_fps, sampled_frames, error, created, identified, label) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", mediaId, packId, gallery, sampledFps, sampledFrames, error, now,
              gallery == null ? null : now, media.path());
        } else {
          scanId = earlier.get(0);
          before = sightingsUnlocked(scanId);
          store.sql.update("UPDATE scan SET sampled_fps = ?, sampled_frames = ?, error = ?, identified = ?, label = ? WHERE id = ?", sampledFps,
              sampledFrames, error, gallery == null ? null : now, media.path(), scanId);
        }
        SightingMatch match = SightingMatch.of(before, sightings);
        // Numbers move to their new values: park the kept rows out of the way first (numbers are unique per scan).
        store.sql.update("UPDATE sighting SET number = -number WHERE scan_id = ?", scanId);
        int dropped = 0;
        for (StoredSighting old : before) {
          if (!match.kept(old.id())) {
            dropped += old.verdict() == null ? 0 : 1;
            store.sql.update("DELETE FROM sighting WHERE id = ?", old.id());
          }
        }
        int carried = 0;
        for (StoredSighting.New s : sightings) {
          StoredSighting old = match.earlier(s.number());
          String context = context(scanId, s.number());
          Object[] values = {s.start(), s.end(), s.samples(), s.bestTime(), s.box().x(), s.box().y(), s.box().width(),
              s.box().height(), s.qualityJson(), s.boxesJson(), store.seal(Templates.encode(s.template()), context),
              s.cropPng() == null ? null : store.seal(s.cropPng(), context), s.decisionJson(), s.link()};
          if (old == null) {
            insertSighting(scanId, s.number(), values);
          } else {
            carried += old.verdict() == null ? 0 : 1;
            updateSighting(old.id(), s.number(), values);
          }
        }
        return new Saved(scan(scanId).orElseThrow(), !earlier.isEmpty(), carried, dropped);
      });
    }
  }

  private void insertSighting(long scanId, int number, Object[] values) throws SQLException {
    Object[] args = new Object[values.length + 2];
    args[0] = scanId;
    args[1] = number;
    System.arraycopy(values, 0, args, 2, values.length);
    store.sql.update("INSERT INTO sighting (scan_id, number, start, \"end\", samples, best_time, box_x, box_y, box_w, box_h, quality, "
        + "boxes, template, crop, decision, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", args);
  }

  private void updateSighting(long id, int number, Object[] values) throws SQLException {
    Object[] args = new Object[values.length + 2];
    args[0] = number;
    System.arraycopy(values, 0, args, 1, values.length);
    args[args.length - 1] = id;
    store.sql.update("UPDATE sighting SET number = ?, start = ?, \"end\" = ?, samples = ?, best_time = ?, box_x = ?, box_y = ?, box_w = ?, "
        + "box_h = ?, quality = ?, boxes = ?, template = ?, crop = ?, decision = ?, link = ? WHERE id = ?", args);
  }

  @Override
  public StoredScan copyFor(long fromScanId, String gallery, String label) {
    synchronized (store) {
      StoredScan from = requireScan(fromScanId);
      List<StoredSighting> sightings = sightings(fromScanId);
      return store.sql.tx(() -> {
        long scanId = insert("INSERT INTO scan (media_id, pack_id, gallery, sampled_fps, sampled_frames, error, created, identified, "
            + "label) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)", from.media().id(), from.packId(), gallery, from.sampledFps(),
            from.sampledFrames(), from.error(), Instant.now().toString(), label);
        for (StoredSighting s : sightings) {
          String context = context(scanId, s.number());
          insertSighting(scanId, s.number(), new Object[] {s.start(), s.end(), s.samples(), s.bestTime(), s.box().x(), s.box().y(),
              s.box().width(), s.box().height(), s.qualityJson(), s.boxesJson(), store.seal(Templates.encode(s.template()), context),
              s.cropPng() == null ? null : store.seal(s.cropPng(), context), null, s.link()});
        }
        return scan(scanId).orElseThrow();
      });
    }
  }

  @Override
  public void keepFile(long mediaId, String storedFile) {
    synchronized (store) {
      store.sql.tx(() -> store.sql.update("UPDATE media SET stored_file = ? WHERE id = ?", store.storage().toStored(storedFile), mediaId));
    }
  }

  @Override
  public String sealKept(long mediaId) throws java.io.IOException {
    Optional<SealedMedia> sealer = store.mediaSealer();
    String kept;
    synchronized (store) {
      List<String> k = store.sql.query("SELECT stored_file FROM media WHERE id = ?", r -> r.getString(1), mediaId);
      kept = k.isEmpty() ? null : store.storage().fromStored(k.get(0));
    }
    if (kept == null || sealer.isEmpty() || !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(kept))
        || SealedMedia.isSealed(java.nio.file.Path.of(kept))) {
      return kept;
    }
    // A name of this attempt's own: two jobs sealing the same media at once never write, move or
    // delete each other's file; the row names whichever committed first.
    java.nio.file.Path plain = java.nio.file.Path.of(kept),
        sealed = plain.resolveSibling(plain.getFileName() + "." + java.util.UUID.randomUUID() + ".sealed");
    sealer.get().seal(plain, sealed);
    int moved;
    synchronized (store) {
      moved = store.sql.tx(() -> store.sql.update("UPDATE media SET stored_file = ? WHERE id = ? AND stored_file = ?",
          store.storage().toStored(sealed.toString()), mediaId, store.storage().toStored(kept)));
    }
    if (moved == 1) {
      java.nio.file.Files.deleteIfExists(plain);
      return sealed.toString();
    }
    java.nio.file.Files.deleteIfExists(sealed); // another attempt sealed it first: the row names its file
    synchronized (store) {
      List<String> now = store.sql.query("SELECT stored_file FROM media WHERE id = ?", r -> r.getString(1), mediaId);
      return now.isEmpty() ? null : store.storage().fromStored(now.get(0));
    }
  }

  @Override
  public boolean keeps(String file) {
    synchronized (store) {
      return !store.sql.query("SELECT 1 FROM media WHERE stored_file = ?", r -> 1, store.storage().toStored(file)).isEmpty();
    }
  }

  @Override
  public Optional<StoredScan> scanOf(String sha256, String packId, String gallery) {
    synchronized (store) {
      return store.sql.query(SCAN_SELECT + " WHERE m.sha256 = ? AND s.pack_id = ? AND s.gallery IS NOT DISTINCT FROM ?", this::scanRow, sha256, packId,
          gallery).stream().findFirst();
    }
  }

  @Override
  public List<StoredScan> scansOf(String sha256, String packId) {
    synchronized (store) {
      return store.sql.query(SCAN_SELECT + " WHERE m.sha256 = ? AND s.pack_id = ? ORDER BY s.id", this::scanRow, sha256, packId);
    }
  }

  @Override
  public Optional<StoredScan> scan(long id) {
    synchronized (store) {
      return store.sql.query(SCAN_SELECT + " WHERE s.id = ?", this::scanRow, id).stream().findFirst();
    }
  }

  @Override
  public StoredScan requireScan(long id) {
    return scan(id).orElseThrow(() -> new NotFoundException("no scan " + id));
  }

  @Override
  public List<StoredScan> scans() {
    synchronized (store) {
      return store.sql.query(SCAN_SELECT + " ORDER BY s.id DESC", this::scanRow);
    }
  }

  @Override
  public List<StoredSighting> sightings(long scanId) {
    synchronized (store) {
      return sightingsUnlocked(scanId);
    }
  }

  private List<StoredSighting> sightingsUnlocked(long scanId) {
    return store.sql.query("SELECT " + SIGHTING_COLUMNS + " FROM sighting WHERE scan_id = ? ORDER BY number", this::sightingRow, scanId);
  }

  @Override
  public List<Located> locate(List<Long> sightingIds) {
    synchronized (store) {
      List<Located> out = new java.util.ArrayList<>();
      Map<Long, StoredScan> scansById = new java.util.HashMap<>();
      for (long id : sightingIds) {
        store.sql.query("SELECT " + SIGHTING_COLUMNS + " FROM sighting WHERE id = ?", this::sightingRow, id).stream().findFirst()
            .ifPresent(g -> out.add(new Located(g, scansById.computeIfAbsent(g.scanId(), k -> requireScan(k)))));
      }
      return out;
    }
  }

  @Override
  public void forEachTemplate(String packId, java.util.function.BiConsumer<Long, float[]> sink) {
    forEachTemplate(packId, 0, sink);
  }

  @Override
  public void forEachTemplate(String packId, long afterId, java.util.function.BiConsumer<Long, float[]> sink) {
    synchronized (store) {
      store.sql.query("SELECT g.id, g.scan_id, g.number, g.template FROM sighting g JOIN scan s ON s.id = g.scan_id WHERE s.pack_id = ? "
          + "AND g.id > ? ORDER BY g.id", r -> {
            sink.accept(r.getLong(1), Templates.decode(store.open(r.getBytes(4), context(r.getLong(2), r.getInt(3)))));
            return 0;
          }, packId, afterId);
    }
  }

  @Override
  public List<Long> sightingIds(String packId) {
    synchronized (store) {
      return store.sql.query("SELECT g.id FROM sighting g JOIN scan s ON s.id = g.scan_id WHERE s.pack_id = ? ORDER BY g.id",
          r -> r.getLong(1), packId);
    }
  }

  @Override
  public boolean allExist(long[] ids) {
    int chunk = 500; // well under SQLite's limit on bound parameters
    synchronized (store) {
      for (int from = 0; from < ids.length; from += chunk) {
        int to = Math.min(ids.length, from + chunk);
        Object[] args = new Object[to - from];
        for (int i = from; i < to; i++) {
          args[i - from] = ids[i];
        }
        String in = String.join(",", java.util.Collections.nCopies(args.length, "?"));
        long found = store.sql.query("SELECT COUNT(*) FROM sighting WHERE id IN (" + in + ")", r -> r.getLong(1), args).get(0);
        if (found != args.length) {
          return false;
        }
      }
      return true;
    }
  }

  @Override
  public StoredSighting requireSighting(long scanId, int number) {
    synchronized (store) {
      return store.sql.query("SELECT " + SIGHTING_COLUMNS + " FROM sighting WHERE scan_id = ? AND number = ?", this::sightingRow,
          scanId, number).stream().findFirst()
          .orElseThrow(() -> new NotFoundException("scan " + scanId + " has no track or face " + number));
    }
  }

  @Override
  public void identified(long scanId, String gallery, Map<Integer, String> decisionJsonByNumber) {
    synchronized (store) {
      StoredScan s = requireScan(scanId);
      scanOf(s.media().sha256(), s.packId(), gallery).filter(other -> other.id() != scanId).ifPresent(other -> {
        throw new ConflictException("gallery '" + gallery + "' has its own scan of this media (scan " + other.id() + "): rescan that one");
      });
      store.sql.tx(() -> {
        if (s.gallery() != null && !s.gallery().equals(gallery)) {
          // a scan belongs to its gallery: identifying it against another would hand it (and its verdicts) over
          throw new InvalidInputException("scan " + scanId + " belongs to gallery '" + s.gallery() + "', not '" + gallery + "'");
        }
        store.sql.update("UPDATE scan SET gallery = ?, identified = ? WHERE id = ?", gallery, Instant.now().toString(), scanId);
        for (Map.Entry<Integer, String> e : decisionJsonByNumber.entrySet()) {
          store.sql.update("UPDATE sighting SET decision = ? WHERE scan_id = ? AND number = ?", e.getValue(), scanId, e.getKey());
        }
        return null;
      });
    }
  }

  @Override
  public StoredSighting verdict(long scanId, int number, String verdict, String subject, String by) {
    synchronized (store) {
      requireSighting(scanId, number);
      store.sql.tx(() -> store.sql.update("UPDATE sighting SET verdict = ?, verdict_subject = ?, verdict_by = ?, verdict_at = ? "
          + "WHERE scan_id = ? AND number = ?", verdict, verdict == null ? null : subject, verdict == null ? null : by,
          verdict == null ? null : Instant.now().toString(), scanId, number));
      return requireSighting(scanId, number);
    }
  }

  @Override
  public String delete(long scanId) {
    synchronized (store) {
      StoredScan s = requireScan(scanId);
      return store.sql.tx(() -> {
        store.sql.update("DELETE FROM scan WHERE id = ?", scanId);
        store.sql.update("UPDATE job SET scan_id = NULL WHERE scan_id = ?", scanId);
        int others = store.sql.query("SELECT COUNT(*) FROM scan WHERE media_id = ?", r -> r.getInt(1), s.media().id()).get(0);
        if (others == 0) {
          store.sql.update("DELETE FROM media WHERE id = ?", s.media().id());
          return s.media().storedFile();
        }
        return null;
      });
    }
  }

  @Override
  public SightingDecisions decisions() {
    return new SightingDecisions(store);
  }

  static String context(long scanId, int number) {
    return "scan/" + scanId + "/" + number;
  }

  private static final String SCAN_SELECT = "SELECT s.id, s.pack_id, s.gallery, s.sampled_fps, s.sampled_frames, s.error, "
      + "s.created, s.identified, (SELECT COUNT(*) FROM sighting g WHERE g.scan_id = s.id), "
      + "m.id, m.sha256, m.kind, COALESCE(s.label, m.path), m.bytes, m.duration, m.fps, m.width, m.height, m.stored_file, m.created "
      + "FROM scan s JOIN media m ON m.id = s.media_id";

  private StoredScan scanRow(ResultSet r) throws SQLException {
    MediaInfo m = new MediaInfo(r.getLong(10), r.getString(11), r.getString(12), r.getString(13), r.getLong(14),
        dbl(r, 15), dbl(r, 16), r.getInt(17), r.getInt(18),
        store.storage().fromStored(r.getString(19)), Instant.parse(r.getString(20)));
    String identified = r.getString(8);
    return new StoredScan(r.getLong(1), m, r.getString(2), r.getString(3), dbl(r, 4), r.getInt(5),
        r.getString(6), Instant.parse(r.getString(7)), identified == null ? null : Instant.parse(identified), r.getInt(9));
  }

  private static final String SIGHTING_COLUMNS = "id, scan_id, number, start, \"end\", samples, best_time, box_x, box_y, box_w, "
      + "box_h, quality, boxes, template, crop, decision, verdict, verdict_subject, verdict_by, verdict_at, link";

  private StoredSighting sightingRow(ResultSet r) throws SQLException {
    long scanId = r.getLong(2);
    int number = r.getInt(3);
    String context = context(scanId, number);
    byte[] crop = r.getBytes(15);
    String verdict = r.getString(17);
    return new StoredSighting(r.getLong(1), scanId, number, dbl(r, 4), dbl(r, 5),
        r.getInt(6), dbl(r, 7), new Box(r.getDouble(8), r.getDouble(9), r.getDouble(10), r.getDouble(11)),
        r.getString(12), r.getString(13), Templates.decode(store.open(r.getBytes(14), context)),
        crop == null ? null : store.open(crop, context), r.getString(16),
        verdict == null ? null : new StoredSighting.Verdict(verdict, r.getString(18), r.getString(19), Instant.parse(r.getString(20))),
        integer(r, 21));
  }

  /** A nullable REAL column (the driver's typed getObject refuses NULL). */
  static Double dbl(ResultSet r, int column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }

  static Integer integer(ResultSet r, int column) throws SQLException {
    int v = r.getInt(column);
    return r.wasNull() ? null : v;
  }

  static Long lng(ResultSet r, int column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }

  private long insert(String sql, Object... args) throws SQLException {
    try (PreparedStatement p = store.db.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      p.executeUpdate();
      try (ResultSet k = p.getGeneratedKeys()) {
        k.next();
        return k.getLong(1);
      }
    }
  }
}
