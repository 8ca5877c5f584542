package org.likeness.gallery;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.GraphGate;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.search.SavedGraphDirectory;
import org.likeness.gallery.search.TemplateIndex;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.PackMismatchException;

/**
 * One gallery opened for search: its record in the store and a search index derived from the
 * store's templates. Every read first compares the store's change counter for this gallery with
 * the one its cache reflects and catches up when they differ, so a change committed by any process
 * (a deletion above all) is seen by the next search here. A search graph is saved only if none of
 * its faces was deleted meanwhile (checked under the store's write lock). Thread-safe.
 */
public final class Gallery implements AutoCloseable {
  private final GalleryStore store;
  private final GalleryInfo info;
  private final TemplateIndex index;
  private final Map<Long, Long> subjectOfFace = new ConcurrentHashMap<>();
  private final Map<Long, String> subjectNames = new ConcurrentHashMap<>();
  /** The store generation this cache reflects; -1 before the first load. Written under {@code this}. */
  private volatile long seen = -1;

  private Gallery(GalleryStore store, GalleryInfo info, ForkJoinPool pool) {
    this.store = store;
    this.info = info;
    this.index = new TemplateIndex(info.dimension(), pool, savedGraph(store, info), gate(store, info));
  }

  /** Where a gallery's derived HNSW index is saved: beside the database, one folder per gallery. */
  public static Path indexDir(GalleryStore store, GalleryInfo info) {
    return store.storage().indexes().resolve(Long.toString(info.id()));
  }

  private static SavedGraphDirectory savedGraph(GalleryStore store, GalleryInfo info) {
    return new SavedGraphDirectory(indexDir(store, info));
  }

  /**
   * Removes a gallery's saved index. Called after deletions: the saved graph holds template
   * vectors, and a deleted face must not stay readable there until the next rebuild.
   */
  public static void discardSavedIndex(GalleryStore store, GalleryInfo info) {
    savedGraph(store, info).delete();
  }

  /**
   * A graph is installed only while the store's write lock is held and every face it holds still
   * exists: a deletion committed by another process while the graph was being built cannot slip
   * back into the saved graph, and none can commit between the check and the install.
   */
  private static GraphGate gate(GalleryStore store, GalleryInfo info) {
    return (faceIds, install) -> store.inTransaction(() -> {
      Set<Long> live = store.reviews().searchable(info.id()).keySet(); // a suspect in a saved graph would be searched
      for (long id : faceIds) {
        if (!live.contains(id)) {
          return false;
        }
      }
      return install.getAsBoolean();
    });
  }

  /** Opens a gallery by name and loads its index from the store. */
  public static Gallery open(GalleryStore store, String name, ForkJoinPool pool) {
    Gallery g = new Gallery(store, store.requireGallery(name), pool);
    g.reload();
    return g;
  }

  public GalleryInfo info() {
    return info;
  }

  public TemplateIndex index() {
    return index;
  }

  /** Refuses an engine of another pack: its templates are not comparable with this gallery's. */
  public void requirePack(String packId) {
    if (!info.packId().equals(packId)) {
      throw new PackMismatchException("gallery '" + info.name() + "' holds templates of pack " + info.packId()
          + "; this engine runs pack " + packId + " (use --pack " + info.packId() + ")");
    }
  }

  /** Catches up with changes committed since the last look, by this process or any other; cheap when there are none. */
  public void refresh() {
    if (store.generation(info.id()) != seen) {
      reload();
    }
  }

  /**
   * Brings the index and subject names in step with the store. Only what changed is touched:
   * faces keep their templates when they move between subjects (face ids are never reused, so an
   * id names one template for ever), only new faces' templates are read, deleted faces leave the
   * index (and its saved graph).
   */
  public synchronized void reload() {
    long generation = store.generation(info.id()); // read first: a change after it is caught next time
    Map<Long, String> names = store.subjectNames(info.id());
    Map<Long, Long> now = store.reviews().searchable(info.id()); // suspects (enrolment hygiene) leave the index
    for (Long face : List.copyOf(subjectOfFace.keySet())) {
      if (!now.containsKey(face)) {
        index.remove(face);
        subjectOfFace.remove(face);
      }
    }
    Set<Long> missing = new HashSet<>();
    long from = Long.MAX_VALUE;
    for (Long face : now.keySet()) {
      if (!subjectOfFace.containsKey(face)) {
        missing.add(face);
        from = Math.min(from, face);
      }
    }
    if (!missing.isEmpty()) {
      store.forEachTemplate(info.id(), from, (faceId, subjectId, template) -> {
        if (missing.contains(faceId)) {
          index.add(faceId, template);
        }
      });
    }
    subjectOfFace.putAll(now);
    subjectNames.putAll(names);
    subjectNames.keySet().retainAll(names.keySet());
    seen = generation;
  }

  /**
   * Mirrors a face just committed by this process, so that it is searchable before the next look
   * at the store. Synchronized with {@link #reload}: a reload that read the store before the commit
   * cannot drop the face. The next read reloads all the same: a reload between the commit and this
   * call may have seen the face already deleted (by any process), and the face put back here must
   * then leave again. The commit changed the store's generation, so that reload was due anyway.
   */
  public synchronized void faceAdded(long faceId, long subjectId, String subjectName, float[] template) {
    subjectNames.put(subjectId, subjectName);
    subjectOfFace.put(faceId, subjectId);
    index.add(faceId, template);
    seen = -1;
  }

  /** Open-set identification of one probe template of a face of unknown width: the top {@code top} subjects and the decision. */
  public Identification identify(float[] probe, int top, MatchPolicy policy) {
    return identify(probe, Double.NaN, top, policy);
  }

  /**
   * Open-set identification of one probe template whose face is {@code width} pixels wide (a
   * photo's box, a track's median box; NaN when unknown): small faces are decided as the rule's
   * small-face calibration says ({@link MatchPolicy#forProbe}).
   */
  public Identification identify(float[] probe, double width, int top, MatchPolicy policy) {
    return identify(probe, org.likeness.engine.verify.FaceSize.photo(width), top, policy);
  }

  /** As {@link #identify(float[], double, int, MatchPolicy)}, for a probe of {@code size} (a track's: its width and the frames it was seen in). */
  public Identification identify(float[] probe, org.likeness.engine.verify.FaceSize size, int top, MatchPolicy policy) {
    refresh();
    MatchPolicy.Probe p = policy.forProbe(probe, size);
    List<Hit> hits = index.search(p.template(), MatchPolicy.hitsFor(top), p.policy().method());
    return p.decide(hits, subjectOfFace::get, id -> subjectNames.getOrDefault(id, "?"), index.size(), top);
  }

  /** Stops background graph builds and releases the graph's files. */
  @Override
  public void close() {
    index.close();
  }
}
