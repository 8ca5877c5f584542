package org.likeness.gallery.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.likeness.engine.geom.Box;

/**
 * The system of record: galleries, subjects and faces in the {@link Database} (embedded SQLite or a
 * shared PostgreSQL). Every mutating call is one transaction: once it returns, the change survives
 * a crash. One connection per store; calls are serialised. Other processes (and, on PostgreSQL,
 * other servers) may open the same database; write transactions exclude each other there.
 */
public final class GalleryStore implements Transactions, AutoCloseable {
  /** Database file name under the Likeness home folder. */
  public static final String FILE = Database.SQLITE_FILE;

  private final Storage storage;
  final Connection db;
  /** Statements on {@link #db}; callers hold this store's lock. */
  final StoreSql sql;
  private final TemplateCipher cipher;
  private final FaceReviews reviews = new FaceReviews(this);

  private GalleryStore(Storage storage, Connection db, TemplateCipher cipher) {
    this.storage = storage;
    this.db = db;
    this.sql = new StoreSql(storage.database(), db);
    this.cipher = cipher;
  }

  /** Opens (creating if needed) the SQLite store in {@code home}, migrating its schema forward; templates unencrypted. */
  public static GalleryStore open(Path home) {
    return open(home, null);
  }

  /**
   * As {@link #open(Path)}; with a cipher, templates and crops written from now on are encrypted
   * with it, and encrypted ones are read with it.
   */
  public static GalleryStore open(Path home, TemplateCipher cipher) {
    return open(Storage.local(home), cipher);
  }

  /** Opens (creating the schema if needed, migrating it forward) the store where {@code storage} says. */
  public static GalleryStore open(Storage storage, TemplateCipher cipher) {
    Connection c = null;
    try {
      c = storage.database().connect();
      storage.database().migrate(c);
      return new GalleryStore(storage, c, cipher);
    } catch (SQLException | RuntimeException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("cannot open the store in " + storage.database() + ": " + e.getMessage(), e);
    }
  }

  /** Where this store's state lives. */
  public Storage storage() {
    return storage;
  }

  /** The database. */
  public Database database() {
    return storage.database();
  }

  // ---- galleries

  /** Creates a gallery; refuses a name already in use. */
  public synchronized GalleryInfo createGallery(String name, String packId, int dimension) {
    String n = Names.check("gallery", name);
    if (gallery(n).isPresent()) {
      throw new ConflictException("gallery '" + n + "' already exists");
    }
    return sql.tx(() -> {
      try (PreparedStatement p = db.prepareStatement(
          "INSERT INTO gallery (name, pack_id, dimension, created) VALUES (?, ?, ?, ?)")) {
        p.setString(1, n);
        p.setString(2, packId);
        p.setInt(3, dimension);
        p.setString(4, Instant.now().toString());
        p.executeUpdate();
      }
      return gallery(n).orElseThrow();
    });
  }

  /** The gallery of that name, if any. */
  public synchronized Optional<GalleryInfo> gallery(String name) {
    return sql.query("SELECT id, name, pack_id, dimension, created, keep_crops FROM gallery WHERE name = ?", GalleryStore::galleryRow, name)
        .stream().findFirst();
  }

  /** The gallery of that name, or an error naming it. */
  public GalleryInfo requireGallery(String name) {
    return gallery(name).orElseThrow(() -> new NotFoundException("unknown gallery '" + name + "'"));
  }

  /** Every gallery, by name. */
  public synchronized List<GalleryInfo> galleries() {
    return sql.query("SELECT id, name, pack_id, dimension, created, keep_crops FROM gallery ORDER BY name", GalleryStore::galleryRow);
  }

  private static GalleryInfo galleryRow(ResultSet r) throws SQLException {
    return new GalleryInfo(r.getLong(1), r.getString(2), r.getString(3), r.getInt(4), Instant.parse(r.getString(5)), r.getInt(6) != 0);
  }

  /**
   * Sets whether enrolment keeps face crops in this gallery; turning it off deletes the crops kept
   * (secure delete overwrites them; the caller checkpoints the WAL). Returns how many were deleted.
   */
  public synchronized int keepCrops(long galleryId, boolean keep) {
    return sql.tx(() -> {
      sql.update("UPDATE gallery SET keep_crops = ? WHERE id = ?", keep ? 1 : 0, galleryId);
      return keep ? 0 : sql.update("UPDATE face SET crop = NULL WHERE gallery_id = ? AND crop IS NOT NULL", galleryId);
    });
  }

  /** {subjects, faces} in a gallery. */
  public synchronized long[] counts(long galleryId) {
    return new long[] {
        sql.query("SELECT count(*) FROM subject WHERE gallery_id = ?", r -> r.getLong(1), galleryId).get(0),
        sql.query("SELECT count(*) FROM face WHERE gallery_id = ?", r -> r.getLong(1), galleryId).get(0)};
  }

  // ---- subjects

  private static final String SUBJECT_COLUMNS = "s.id, s.gallery_id, s.name, s.external_id, s.tags, "
      + "(SELECT count(*) FROM face f WHERE f.subject_id = s.id), s.created";

  private static SubjectInfo subjectRow(ResultSet r) throws SQLException {
    List<String> tags;
    try {
      tags = StoredJson.tagsOf(r.getString(5));
    } catch (StoreException e) {
      throw new SQLException("corrupt tags of subject " + r.getLong(1) + ": " + e.getMessage(), e);
    }
    return new SubjectInfo(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), tags, r.getInt(6),
        Instant.parse(r.getString(7)));
  }

  /** The subject of that name in a gallery, if any. */
  public synchronized Optional<SubjectInfo> subject(long galleryId, String name) {
    return sql.query("SELECT " + SUBJECT_COLUMNS + " FROM subject s WHERE s.gallery_id = ? AND s.name = ?",
        GalleryStore::subjectRow, galleryId, name).stream().findFirst();
  }

  /** The subject of that name, or an error naming it. */
  public SubjectInfo requireSubject(long galleryId, String name) {
    return subject(galleryId, name).orElseThrow(() -> new NotFoundException("unknown subject '" + name + "'"));
  }

  /** The subject with that id. */
  public synchronized Optional<SubjectInfo> subject(long subjectId) {
    return sql.query("SELECT " + SUBJECT_COLUMNS + " FROM subject s WHERE s.id = ?", GalleryStore::subjectRow, subjectId)
        .stream().findFirst();
  }

  /** Every subject of a gallery, by name. */
  public synchronized List<SubjectInfo> subjects(long galleryId) {
    return sql.query("SELECT " + SUBJECT_COLUMNS + " FROM subject s WHERE s.gallery_id = ? ORDER BY s.name",
        GalleryStore::subjectRow, galleryId);
  }

  /** The subject of that name, created when absent; external id and tags are set when given. */
  public synchronized SubjectInfo ensureSubject(long galleryId, String name, String externalId, List<String> tags) {
    String n = Names.check("subject", name);
    return sql.tx(() -> {
      try (PreparedStatement p = db.prepareStatement(
          "INSERT INTO subject (gallery_id, name, external_id, tags, created) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
        p.setLong(1, galleryId);
        p.setString(2, n);
        p.setString(3, externalId);
        p.setString(4, StoredJson.tags(tags));
        p.setString(5, Instant.now().toString());
        p.executeUpdate();
      }
      if (externalId != null) {
        sql.update("UPDATE subject SET external_id = ? WHERE gallery_id = ? AND name = ?", externalId, galleryId, n);
      }
      if (tags != null && !tags.isEmpty()) {
        sql.update("UPDATE subject SET tags = ? WHERE gallery_id = ? AND name = ?", StoredJson.tags(tags), galleryId, n);
      }
      return subject(galleryId, n).orElseThrow();
    });
  }

  /** Renames a subject; refuses a name already taken in the gallery. */
  public synchronized SubjectInfo renameSubject(long galleryId, String from, String to) {
    String n = Names.check("subject", to);
    SubjectInfo s = requireSubject(galleryId, from);
    if (subject(galleryId, n).isPresent()) {
      throw new ConflictException("subject '" + n + "' already exists; merge instead");
    }
    sql.tx(() -> sql.update("UPDATE subject SET name = ? WHERE id = ?", n, s.id()));
    return subject(s.id()).orElseThrow();
  }

  /** What a merge did: faces moved, and faces deleted because {@code into} already had their image. */
  public record Merged(int moved, int duplicatesDeleted) {}

  /**
   * Moves every face of {@code from} to {@code into} and deletes {@code from}. A face whose source
   * image {@code into} already has is the same face twice and is deleted.
   */
  public synchronized Merged mergeSubjects(long galleryId, String from, String into) {
    SubjectInfo a = requireSubject(galleryId, from), b = requireSubject(galleryId, into);
    if (a.id() == b.id()) {
      throw new ConflictException("cannot merge a subject into itself");
    }
    return sql.tx(() -> {
      int moved = sql.update("UPDATE face SET subject_id = ? WHERE subject_id = ? AND image_sha256 NOT IN "
          + "(SELECT image_sha256 FROM face WHERE subject_id = ?)", b.id(), a.id(), b.id());
      int dropped = sql.update("DELETE FROM face WHERE subject_id = ?", a.id());
      sql.update("DELETE FROM subject WHERE id = ?", a.id());
      return new Merged(moved, dropped);
    });
  }

  /** Deletes a subject and all its faces; returns how many faces went. */
  public synchronized int deleteSubject(long galleryId, String name) {
    SubjectInfo s = requireSubject(galleryId, name);
    return sql.tx(() -> {
      int faces = sql.update("DELETE FROM face WHERE subject_id = ?", s.id());
      sql.update("DELETE FROM subject WHERE id = ?", s.id());
      return faces;
    });
  }

  // ---- faces

  /** The result of adding a face: its id, and whether it was new (false: the same image was already enrolled). */
  public record Added(long faceId, boolean created) {}

  /** Adds a face to a subject, idempotently: the same image for the same subject returns the existing face. */
  public synchronized Added addFace(long galleryId, long subjectId, String imageSha256, Box box, String qualityJson,
      float[] template, byte[] cropPng) {
    return sql.tx(() -> {
      int n;
      try (PreparedStatement p = db.prepareStatement("INSERT INTO face (gallery_id, subject_id, image_sha256, "
          + "box_x, box_y, box_w, box_h, quality, template, crop, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
        p.setLong(1, galleryId);
        p.setLong(2, subjectId);
        p.setString(3, imageSha256);
        p.setDouble(4, box.x());
        p.setDouble(5, box.y());
        p.setDouble(6, box.width());
        p.setDouble(7, box.height());
        p.setString(8, qualityJson);
        String context = galleryId + "/" + imageSha256;
        p.setBytes(9, seal(Templates.encode(template), context));
        p.setBytes(10, cropPng == null ? null : seal(cropPng, context));
        p.setString(11, Instant.now().toString());
        n = p.executeUpdate();
      }
      long id = sql.query("SELECT id FROM face WHERE subject_id = ? AND image_sha256 = ?", r -> r.getLong(1), subjectId,
          imageSha256).get(0);
      return new Added(id, n == 1);
    });
  }

  /** Whether this subject already has a face from this image (bulk enrolment skips it). */
  public synchronized boolean hasFace(long subjectId, String imageSha256) {
    return !sql.query("SELECT 1 FROM face WHERE subject_id = ? AND image_sha256 = ?", r -> 1, subjectId, imageSha256).isEmpty();
  }

  private StoredFace faceRow(ResultSet r) throws SQLException {
    String context = r.getLong(12) + "/" + r.getString(3);
    byte[] crop = r.getBytes(10);
    return new StoredFace(r.getLong(1), r.getLong(2), r.getString(3),
        new Box(r.getDouble(4), r.getDouble(5), r.getDouble(6), r.getDouble(7)), r.getString(8),
        Templates.decode(open(r.getBytes(9), context)), crop == null ? null : open(crop, context), Instant.parse(r.getString(11)));
  }

  private static final String FACE_COLUMNS =
      "id, subject_id, image_sha256, box_x, box_y, box_w, box_h, quality, template, crop, created, gallery_id";

  /** The sealer of kept media when a template key is configured (media are then sealed at rest). */
  public Optional<SealedMedia> mediaSealer() {
    return cipher == null ? Optional.empty() : Optional.of(cipher.media());
  }

  /** Encrypts a value when a cipher is configured. */
  byte[] seal(byte[] plain, String context) {
    return cipher == null ? plain : cipher.encrypt(plain, context);
  }

  /** Decrypts a stored value if it is encrypted; refuses clearly when no key is configured. */
  byte[] open(byte[] stored, String context) {
    if (!TemplateCipher.isEncrypted(stored)) {
      return stored;
    }
    if (cipher == null) {
      throw new StoreException("templates in " + storage.database() + " are encrypted; set LIKENESS_TEMPLATE_KEY or LIKENESS_TEMPLATE_KEY_FILE");
    }
    return cipher.decrypt(stored, context);
  }

  /** The face with that id in that gallery. */
  public synchronized Optional<StoredFace> face(long galleryId, long faceId) {
    return sql.query("SELECT " + FACE_COLUMNS + " FROM face WHERE gallery_id = ? AND id = ?", this::faceRow,
        galleryId, faceId).stream().findFirst();
  }

  /** The faces of one subject, oldest first. */
  public synchronized List<StoredFace> facesOf(long subjectId) {
    return sql.query("SELECT " + FACE_COLUMNS + " FROM face WHERE subject_id = ? ORDER BY id", this::faceRow, subjectId);
  }

  /** Enrolment hygiene's marks on this store's faces (suspects, confirmations). */
  public FaceReviews reviews() {
    return reviews;
  }

  /**
   * The gallery's change counter: every insert, update or delete of its faces or subjects, by any
   * process, bumps it in the same transaction (schema triggers). A reader that remembers the value
   * its cache reflects knows with one indexed read whether anything changed.
   */
  public synchronized long generation(long galleryId) {
    return sql.query("SELECT generation FROM gallery WHERE id = ?", r -> r.getLong(1), galleryId).stream().findFirst()
        .orElseThrow(() -> new NotFoundException("gallery " + galleryId + " no longer exists"));
  }

  /** Subject id to name for every subject of a gallery (no face counts: cheap enough to run on every change). */
  public synchronized java.util.Map<Long, String> subjectNames(long galleryId) {
    java.util.Map<Long, String> out = new java.util.HashMap<>();
    sql.query("SELECT id, name FROM subject WHERE gallery_id = ?", r -> out.put(r.getLong(1), r.getString(2)), galleryId);
    return out;
  }

  /** Face id to subject id for every face of a gallery: what a cache needs to follow moves and deletions, without templates. */
  public synchronized java.util.Map<Long, Long> faceSubjects(long galleryId) {
    java.util.Map<Long, Long> out = new java.util.HashMap<>();
    sql.query("SELECT id, subject_id FROM face WHERE gallery_id = ?", r -> out.put(r.getLong(1), r.getLong(2)), galleryId);
    return out;
  }

  /**
   * Runs {@code work} in one write transaction: nothing else, in this process or another, can
   * commit until it returns; it is rolled back if {@code work} throws. Expert: for callers that
   * must check and act as one step (an import, installing a search graph only if none of its faces
   * was deleted meanwhile).
   */
  public synchronized <T> T inTransaction(java.util.function.Supplier<T> work) {
    return sql.tx(work::get);
  }

  /** Receives (face id, subject id, template) for every face of a gallery, in id order. */
  @FunctionalInterface
  public interface TemplateSink {
    void accept(long faceId, long subjectId, float[] template);
  }

  /** Streams every template of a gallery, in face id order (the search index is built from this). */
  public void forEachTemplate(long galleryId, TemplateSink sink) {
    forEachTemplate(galleryId, Long.MIN_VALUE, sink);
  }

  /** Streams the templates of a gallery's faces with id {@code >= fromId}, in id order. */
  public synchronized void forEachTemplate(long galleryId, long fromId, TemplateSink sink) {
    try (PreparedStatement p = db.prepareStatement(
        "SELECT id, subject_id, template, image_sha256 FROM face WHERE gallery_id = ? AND id >= ? ORDER BY id")) {
      p.setLong(1, galleryId);
      p.setLong(2, fromId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          sink.accept(r.getLong(1), r.getLong(2), Templates.decode(open(r.getBytes(3), galleryId + "/" + r.getString(4))));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read templates: " + e.getMessage(), e);
    }
  }

  /** Moves one face to another subject (created when absent), in one transaction: un-merging a wrongly merged person. */
  public synchronized SubjectInfo moveFace(long galleryId, long faceId, String toSubject) {
    return sql.tx(() -> {
      StoredFace f = face(galleryId, faceId).orElseThrow(() -> new NotFoundException("unknown face " + faceId));
      SubjectInfo to = ensureSubject(galleryId, toSubject, null, null);
      if (to.id() == f.subjectId()) {
        return to;
      }
      if (hasFace(to.id(), f.imageSha256())) {
        throw new ConflictException("subject '" + toSubject + "' already has a face from the same image");
      }
      sql.update("UPDATE face SET subject_id = ? WHERE id = ?", to.id(), faceId);
      return subject(to.id()).orElseThrow();
    });
  }

  /** Deletes one face. */
  public synchronized void deleteFace(long galleryId, long faceId) {
    face(galleryId, faceId).orElseThrow(() -> new NotFoundException("unknown face " + faceId));
    sql.tx(() -> sql.update("DELETE FROM face WHERE id = ?", faceId));
  }

  /**
   * After a delete: the database's files keep no readable copy of what was deleted, as far as the
   * database allows (SQLite: the write-ahead log copied in and truncated; PostgreSQL: a vacuum).
   */
  public synchronized void checkpoint() {
    try {
      storage.database().purge(db);
    } catch (SQLException e) {
      throw new StoreException("checkpoint failed: " + e.getMessage(), e);
    }
  }

  /** The database's own consistency check: "ok" when it is sound. */
  public synchronized String integrityCheck() {
    try {
      return storage.database().integrityCheck(db);
    } catch (SQLException e) {
      throw new StoreException("integrity check failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new StoreException("close failed: " + e.getMessage(), e);
    }
  }

  /** {@inheritDoc} Under this store's lock, so no other thread's statements land in the transaction. */
  @Override
  public synchronized <T> T write(SqlWork<T> work) {
    return storage.database().inWrite(db, work);
  }
}
