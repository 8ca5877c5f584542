package org.likeness.gallery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Candidate;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.search.TemplateIndex;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.SubjectInfo;

/**
 * One gallery opened for search: its record in the store and a search index rebuilt from the
 * store's templates on open (the HNSW graph, slow to build, is saved beside the database and
 * reused while its fingerprint matches the store's templates). Changes made through the store by
 * this process are mirrored with {@link #faceAdded} and {@link #reload}. Thread-safe.
 */
public final class Gallery {
  /** Templates retrieved per candidate asked for, before grouping by subject. */
  private static final int FACES_PER_CANDIDATE = 10;

  private final GalleryStore store;
  private final GalleryInfo info;
  private final TemplateIndex index;
  private final Map<Long, Long> subjectOfFace = new ConcurrentHashMap<>();
  private final Map<Long, String> subjectNames = new ConcurrentHashMap<>();

  private Gallery(GalleryStore store, GalleryInfo info, ForkJoinPool pool) {
    this.store = store;
    this.info = info;
    this.index = new TemplateIndex(info.dimension(), pool, indexDir(store, info));
  }

  /** Where a gallery's derived HNSW index is saved: beside the database, one folder per gallery. */
  public static java.nio.file.Path indexDir(GalleryStore store, GalleryInfo info) {
    return store.file().toAbsolutePath().getParent().resolve("index").resolve(Long.toString(info.id()));
  }

  /**
   * Removes a gallery's saved index. Called after deletions: the saved graph holds template
   * vectors, and a deleted face must not stay readable there until the next rebuild.
   */
  public static void discardSavedIndex(GalleryStore store, GalleryInfo info) {
    TemplateIndex.deleteSavedGraph(indexDir(store, info));
  }

  /** Opens a gallery by name and builds its index from the store. */
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

  /**
   * Brings the index and subject names in step with the store (after merges, moves, renames,
   * deletions). Only what changed is touched: faces keep their templates when they move between
   * subjects, so a merge does not cost an HNSW rebuild; deleted faces leave the index.
   */
  public synchronized void reload() {
    Map<Long, String> names = new HashMap<>();
    for (SubjectInfo s : store.subjects(info.id())) {
      names.put(s.id(), s.name());
    }
    Map<Long, Long> now = new HashMap<>();
    store.forEachTemplate(info.id(), (faceId, subjectId, template) -> {
      now.put(faceId, subjectId);
      index.add(faceId, template); // a no-op for a face held as is
    });
    for (Long face : List.copyOf(subjectOfFace.keySet())) {
      if (!now.containsKey(face)) {
        index.remove(face);
        subjectOfFace.remove(face);
      }
    }
    subjectOfFace.putAll(now);
    subjectNames.putAll(names);
    subjectNames.keySet().retainAll(names.keySet());
  }

  /** Mirrors a face just added to the store. */
  public void faceAdded(long faceId, long subjectId, String subjectName, float[] template) {
    subjectNames.put(subjectId, subjectName);
    subjectOfFace.put(faceId, subjectId);
    index.add(faceId, template);
  }

  /** Open-set identification of one probe template: the top {@code top} subjects and the decision. */
  public Identification identify(float[] probe, int top, MatchPolicy policy) {
    List<Hit> hits = index.search(probe, Math.max(top * FACES_PER_CANDIDATE, 50), policy.method());
    Map<Long, List<Float>> bySubject = new HashMap<>();
    Map<Long, Long> bestFace = new HashMap<>();
    for (Hit h : hits) {
      Long s = subjectOfFace.get(h.faceId());
      if (s != null) {
        bySubject.computeIfAbsent(s, k -> new ArrayList<>()).add(h.score());
        bestFace.putIfAbsent(s, h.faceId()); // hits are best first
      }
    }
    List<Candidate> candidates = new ArrayList<>();
    for (var e : bySubject.entrySet()) {
      List<Float> scores = e.getValue(); // best first: hits are sorted
      double score = policy.aggregation() == Aggregation.MAX || scores.size() == 1 ? scores.get(0)
          : (scores.get(0) + scores.get(1)) / 2.0;
      double fmr = policy.impostors() == null ? Double.NaN : policy.impostors().fmrAt(score);
      candidates.add(new Candidate(e.getKey(), subjectNames.getOrDefault(e.getKey(), "?"), score, fmr, bestFace.get(e.getKey())));
    }
    candidates.sort(Comparator.comparingDouble(Candidate::score).reversed());
    List<Candidate> topList = candidates.subList(0, Math.min(top, candidates.size()));
    Candidate decision = !topList.isEmpty() && topList.get(0).score() >= policy.threshold() ? topList.get(0) : null;
    return new Identification(topList, decision);
  }
}
