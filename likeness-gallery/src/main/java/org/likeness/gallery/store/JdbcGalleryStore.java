package org.likeness.gallery.store;

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
final class JdbcGalleryStore implements GalleryStore {
  private final Storage storage;
  final Connection db;
  /** Statements on {@link #db}; callers hold this store's lock. */
  final StoreSql sql;
  private final TemplateCipher cipher;
  private final FaceReviews reviews = new FaceReviews(this);
  private final Repositories repositories;

  private JdbcGalleryStore(Storage storage, Connection db, TemplateCipher cipher) {
    this.storage = storage;
    this.db = db;
    this.sql = new StoreSql(storage.database(), db);
    this.cipher = cipher;
    this.repositories = new Repositories(this, new JdbcScanStore(this), new JdbcClusterStore(this), new JdbcJobStore(this));
  }

  /** Opens (creating the schema if needed, migrating it forward) the database where {@code storage} says. */
  static JdbcGalleryStore open(Storage storage, TemplateCipher cipher) {
    Connection c = null;
    try {
      c = storage.database().connect();
      storage.database().migrate(c);
      return new JdbcGalleryStore(storage, c, cipher);
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

  @Override
  public Repositories repositories() {
    return repositories;
  }

  @Override
  public GalleryStore newSession() {
    return open(storage, null);
  }

  @Override
  public Storage storage() {
    return storage;
  }

  @Override
  public Database database() {
    return storage.database();
  }

  // ---- galleries
  public synchronized GalleryInfo createGallery(String name, String packId, int dimension) {
    String n = Names.check("gallery", name);
    if (n.equals("null")) { // the audit chain's hash writes "no gallery" as null: a gallery of that name would read alike
      throw new InvalidInputException("'null' is not a gallery name");
    }
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

  @Override
  public synchronized Optional<GalleryInfo> gallery(String name) {
    return sql.query("SELECT id, name, pack_id, dimension, created, keep_crops FROM gallery WHERE name = ?", JdbcGalleryStore::galleryRow, name)
        .stream().findFirst();
  }

  @Override
  public GalleryInfo requireGallery(String name) {
    return gallery(name).orElseThrow(() -> new NotFoundException("unknown gallery '" + name + "'"));
  }

  @Override
  public synchronized List<GalleryInfo> galleries() {
    return sql.query("SELECT id, name, pack_id, dimension, created, keep_crops FROM gallery ORDER BY name", JdbcGalleryStore::galleryRow);
  }

  private static GalleryInfo galleryRow(ResultSet r) throws SQLException {
    return new GalleryInfo(r.getLong(1), r.getString(2), r.getString(3), r.getInt(4), Instant.parse(r.getString(5)), r.getInt(6) != 0);
  }

  @Override
  public synchronized int keepCrops(long galleryId, boolean keep) {
    return sql.tx(() -> {
      sql.update("UPDATE gallery SET keep_crops = ? WHERE id = ?", keep ? 1 : 0, galleryId);
      return keep ? 0 : sql.update("UPDATE face SET crop = NULL WHERE gallery_id = ? AND crop IS NOT NULL", galleryId);
    });
  }

  @Override
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

  @Override
  public synchronized Optional<SubjectInfo> subject(long galleryId, String name) {
    return sql.query("SELECT " + SUBJECT_COLUMNS + " FROM subject s WHERE s.gallery_id = ? AND s.name = ?",
        JdbcGalleryStore::subjectRow, galleryId, name).stream().findFirst();
  }

  @Override
  public SubjectInfo requireSubject(long galleryId, String name) {
    return subject(galleryId, name).orElseThrow(() -> new NotFoundException("unknown subject '" + name + "'"));
  }

  @Override
  public synchronized Optional<SubjectInfo> subject(long subjectId) {
    return sql.query("SELECT " + SUBJECT_COLUMNS + " FROM subject s WHERE s.id = ?", JdbcGalleryStore::subjectRow, subjectId)
        .stream().findFirst();
  }

  @Override
  public synchronized List<SubjectInfo> subjects(long galleryId) {
    return sql.query("SELECT " + SUBJECT_COLUMNS + " FROM subject s WHERE s.gallery_id = ? ORDER BY s.name",
        JdbcGalleryStore::subjectRow, galleryId);
  }

  @Override
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

  @Override
  public synchronized SubjectInfo renameSubject(long galleryId, String from, String to) {
    String n = Names.check("subject", to);
    SubjectInfo s = requireSubject(galleryId, from);
    if (subject(galleryId, n).isPresent()) {
      throw new ConflictException("subject '" + n + "' already exists; merge instead");
    }
    sql.tx(() -> sql.update("UPDATE subject SET name = ? WHERE id = ?", n, s.id()));
    return subject(s.id()).orElseThrow();
  }

  @Override
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

  @Override
  public synchronized int deleteSubject(long galleryId, String name) {
    SubjectInfo s = requireSubject(galleryId, name);
    return sql.tx(() -> {
      int faces = sql.update("DELETE FROM face WHERE subject_id = ?", s.id());
      sql.update("DELETE FROM subject WHERE id = ?", s.id());
      return faces;
    });
  }

  @Override
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

  @Override
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

  @Override
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

  @Override
  public synchronized Optional<StoredFace> face(long galleryId, long faceId) {
    return sql.query("SELECT " + FACE_COLUMNS + " FROM face WHERE gallery_id = ? AND id = ?", this::faceRow,
        galleryId, faceId).stream().findFirst();
  }

  @Override
  public synchronized List<StoredFace> facesOf(long subjectId) {
    return sql.query("SELECT " + FACE_COLUMNS + " FROM face WHERE subject_id = ? ORDER BY id", this::faceRow, subjectId);
  }

  @Override
  public FaceReviews reviews() {
    return reviews;
  }

  @Override
  public synchronized long generation(long galleryId) {
    return sql.query("SELECT generation FROM gallery WHERE id = ?", r -> r.getLong(1), galleryId).stream().findFirst()
        .orElseThrow(() -> new NotFoundException("gallery " + galleryId + " no longer exists"));
  }

  @Override
  public synchronized java.util.Map<Long, String> subjectNames(long galleryId) {
    java.util.Map<Long, String> out = new java.util.HashMap<>();
    sql.query("SELECT id, name FROM subject WHERE gallery_id = ?", r -> out.put(r.getLong(1), r.getString(2)), galleryId);
    return out;
  }

  @Override
  public synchronized java.util.Map<Long, Long> faceSubjects(long galleryId) {
    java.util.Map<Long, Long> out = new java.util.HashMap<>();
    sql.query("SELECT id, subject_id FROM face WHERE gallery_id = ?", r -> out.put(r.getLong(1), r.getLong(2)), galleryId);
    return out;
  }

  @Override
  public synchronized <T> T inTransaction(java.util.function.Supplier<T> work) {
    return sql.tx(work::get);
  }

  @Override
  public void forEachTemplate(long galleryId, TemplateSink sink) {
    forEachTemplate(galleryId, Long.MIN_VALUE, sink);
  }

  @Override
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

  @Override
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

  @Override
  public synchronized void deleteFace(long galleryId, long faceId) {
    face(galleryId, faceId).orElseThrow(() -> new NotFoundException("unknown face " + faceId));
    sql.tx(() -> sql.update("DELETE FROM face WHERE id = ?", faceId));
  }

  @Override
  public synchronized void checkpoint() {
    try {
      storage.database().purge(db);
    } catch (SQLException e) {
      throw new StoreException("checkpoint failed: " + e.getMessage(), e);
    }
  }

  @Override
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

  @Override
  public synchronized <T> T write(SqlWork<T> work) {
    return storage.database().inWrite(db, work);
  }
}
