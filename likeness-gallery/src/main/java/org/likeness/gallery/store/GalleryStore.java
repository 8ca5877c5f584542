package org.likeness.gallery.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.likeness.engine.geom.Box;

/** Galleries, their subjects and enrolled faces: the repository of the watchlists, and the transaction handle that the other repositories of its database share. */
public interface GalleryStore extends Transactions, AutoCloseable {
  /** Database file name under the Likeness home folder. */
  String FILE = Database.SQLITE_FILE;

  /** Opens (creating if needed) the SQLite store in {@code home}, migrating its schema forward; templates unencrypted. */
  static GalleryStore open(Path home) {
    return open(home, null);
  }

  /**
   * As {@link #open(Path)}; with a cipher, templates and crops written from now on are encrypted
   * with it, and encrypted ones are read with it.
   */
  static GalleryStore open(Path home, TemplateCipher cipher) {
    return open(Storage.local(home), cipher);
  }

  /** Opens (creating the schema if needed, migrating it forward) the store where {@code storage} says: {@link Repositories#open}'s galleries. */
  static GalleryStore open(Storage storage, TemplateCipher cipher) {
    return Repositories.open(storage, cipher).galleries();
  }

  /** Every repository of this store's database session, this one among them: they share its transactions and its lock. */
  Repositories repositories();

  /**
   * A second session on the same database, with a connection and a lock of its own and no template
   * key (for work that must not queue behind this session's, such as renewing a job's lease while
   * the job writes its results). The caller closes it.
   */
  GalleryStore newSession();

  /** Where this store's state lives. */
  Storage storage();

  /** The database. */
  Database database();

  /** Creates a gallery; refuses a name already in use. */
  GalleryInfo createGallery(String name, String packId, int dimension);

  /** The gallery of that name, if any. */
  Optional<GalleryInfo> gallery(String name);

  /** The gallery of that name, or an error naming it. */
  GalleryInfo requireGallery(String name);

  /** Every gallery, by name. */
  List<GalleryInfo> galleries();

  /**
   * Sets whether enrolment keeps face crops in this gallery; turning it off deletes the crops kept
   * (secure delete overwrites them; the caller checkpoints the WAL). Returns how many were deleted.
   */
  int keepCrops(long galleryId, boolean keep);

  /** {subjects, faces} in a gallery. */
  long[] counts(long galleryId);

  /** The subject of that name in a gallery, if any. */
  Optional<SubjectInfo> subject(long galleryId, String name);

  /** The subject of that name, or an error naming it. */
  SubjectInfo requireSubject(long galleryId, String name);

  /** The subject with that id. */
  Optional<SubjectInfo> subject(long subjectId);

  /** Every subject of a gallery, by name. */
  List<SubjectInfo> subjects(long galleryId);

  /** The subject of that name, created when absent; external id and tags are set when given. */
  SubjectInfo ensureSubject(long galleryId, String name, String externalId, List<String> tags);

  /** Renames a subject; refuses a name already taken in the gallery. */
  SubjectInfo renameSubject(long galleryId, String from, String to);

  /** What a merge did: faces moved, and faces deleted because {@code into} already had their image. */
  record Merged(int moved, int duplicatesDeleted) {}

  /**
   * Moves every face of {@code from} to {@code into} and deletes {@code from}. A face whose source
   * image {@code into} already has is the same face twice and is deleted.
   */
  Merged mergeSubjects(long galleryId, String from, String into);

  /** Deletes a subject and all its faces; returns how many faces went. */
  int deleteSubject(long galleryId, String name);

  // ---- faces

  /** The result of adding a face: its id, and whether it was new (false: the same image was already enrolled). */
  record Added(long faceId, boolean created) {}

  /** Adds a face to a subject, idempotently: the same image for the same subject returns the existing face. */
  Added addFace(long galleryId, long subjectId, String imageSha256, Box box, String qualityJson,
      float[] template, byte[] cropPng);

  /** Whether this subject already has a face from this image (bulk enrolment skips it). */
  boolean hasFace(long subjectId, String imageSha256);

  /** The sealer of kept media when a template key is configured (media are then sealed at rest). */
  Optional<SealedMedia> mediaSealer();

  /** The face with that id in that gallery. */
  Optional<StoredFace> face(long galleryId, long faceId);

  /** The faces of one subject, oldest first. */
  List<StoredFace> facesOf(long subjectId);

  /** Enrolment hygiene's marks on this store's faces (suspects, confirmations). */
  FaceReviews reviews();

  /**
   * The gallery's change counter: every insert, update or delete of its faces or subjects, by any
   * process, bumps it in the same transaction (schema triggers). A reader that remembers the value
   * its cache reflects knows with one indexed read whether anything changed.
   */
  long generation(long galleryId);

  /** Subject id to name for every subject of a gallery (no face counts: cheap enough to run on every change). */
  java.util.Map<Long, String> subjectNames(long galleryId);

  /** Face id to subject id for every face of a gallery: what a cache needs to follow moves and deletions, without templates. */
  java.util.Map<Long, Long> faceSubjects(long galleryId);

  /**
   * Runs {@code work} in one write transaction: nothing else, in this process or another, can
   * commit until it returns; it is rolled back if {@code work} throws. Expert: for callers that
   * must check and act as one step (an import, installing a search graph only if none of its faces
   * was deleted meanwhile).
   */
  <T> T inTransaction(java.util.function.Supplier<T> work);

  /** Receives (face id, subject id, template) for every face of a gallery, in id order. */
  @FunctionalInterface
  interface TemplateSink {
    void accept(long faceId, long subjectId, float[] template);
  }

  /** Streams every template of a gallery, in face id order (the search index is built from this). */
  void forEachTemplate(long galleryId, TemplateSink sink);

  /** Streams the templates of a gallery's faces with id {@code >= fromId}, in id order. */
  void forEachTemplate(long galleryId, long fromId, TemplateSink sink);

  /** Moves one face to another subject (created when absent), in one transaction: un-merging a wrongly merged person. */
  SubjectInfo moveFace(long galleryId, long faceId, String toSubject);

  /** Deletes one face. */
  void deleteFace(long galleryId, long faceId);

  /**
   * After a delete: the database's files keep no readable copy of what was deleted, as far as the
   * database allows (SQLite: the write-ahead log copied in and truncated; PostgreSQL: nothing it can
   * do, which is why templates, crops and media are sealed with the template key before they reach it).
   */
  void checkpoint();

  /** What follows a committed deletion, before its checkpoint. */
  @FunctionalInterface
  interface AfterDelete<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs what follows a committed deletion (saved indexes, kept files, re-decisions), then
   * {@link #checkpoint()} whatever happened there, so a failure never leaves the write-ahead log's
   * copy behind; a checkpoint that fails is reported, beside a failure before it.
   */
  default <T, E extends Exception> T checkpointAfter(AfterDelete<T, E> work) throws E {
    T t;
    try {
      t = work.run();
    } catch (Exception e) {
      try {
        checkpoint();
      } catch (RuntimeException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
    checkpoint();
    return t;
  }

  /** The database's own consistency check: "ok" when it is sound. */
  String integrityCheck();

  /** Closes the session: the connection every repository of {@link #repositories()} shares. */
  @Override
  void close();

  /** {@inheritDoc} Under this store's lock, so no other thread's statements land in the transaction. */
  <T> T write(SqlWork<T> work);
}
