package org.likeness.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.search.TemplateIndex;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.InvalidInputException;

/**
 * A gallery as it stood when a job started, broadcast to every executor: its searchable faces
 * (suspects from enrolment hygiene left out, as a local search leaves them out), their subjects,
 * their templates, and the decision rule asked for. Each executor builds one search index from it
 * ({@link Matcher}) and decides by {@link MatchPolicy#decide}, the rule a local scan decides by.
 *
 * <p>Memory: a template of d floats is held once on the driver and once on each executor (the
 * index keeps the broadcast arrays, not copies) plus its int8 code: about 5d + 60 bytes each, 1.3 KB
 * at the default pack's 256 dimensions (docs/BENCHMARKS.md, "A broadcast gallery at scale").
 *
 * @param id what executors cache the index under
 * @param identity which gallery of which installation it is ({@link #identityOf}): an import checks it, since names repeat
 * @param templates the faces' templates, one array each (one flat array would overflow Java's array index at about 8M x 256)
 */
public record GallerySnapshot(String id, String name, String identity, String packId, int dimension, long[] faceIds, long[] subjectIds,
    Map<Long, String> names, float[][] templates, Double fmr, Double fpir, SearchMethod method, Aggregation aggregation, int top)
    implements Serializable {

  /**
   * A gallery's identity: its id and the instant it was made. Another installation's gallery of the
   * same name, or one deleted and made again, has another (its face ids, which decisions name, are others).
   */
  public static String identityOf(GalleryInfo info) {
    return info.id() + "@" + info.created();
  }

  /** Reads {@code gallery} from {@code store}, to be searched by {@code method} under the rule {@code fmr} or {@code fpir}. */
  public static GallerySnapshot read(GalleryStore store, String gallery, Double fmr, Double fpir, SearchMethod method, int top) {
    if (top < 1) {
      throw new InvalidInputException("top must be at least 1, not " + top);
    }
    GalleryInfo info = store.requireGallery(gallery);
    Map<Long, Long> subjectOf = store.reviews().searchable(info.id());
    List<Long> faces = new ArrayList<>();
    List<Long> subjects = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    store.forEachTemplate(info.id(), (faceId, subjectId, template) -> {
      if (subjectOf.containsKey(faceId)) {
        faces.add(faceId);
        subjects.add(subjectOf.get(faceId));
        vectors.add(template);
      }
    });
    return new GallerySnapshot(UUID.randomUUID().toString(), info.name(), identityOf(info), info.packId(), info.dimension(),
        faces.stream().mapToLong(Long::longValue).toArray(), subjects.stream().mapToLong(Long::longValue).toArray(),
        new HashMap<>(store.subjectNames(info.id())), vectors.toArray(new float[0][]), fmr, fpir, method, Aggregation.MAX, top);
  }

  /**
   * The method an executor searches by: as asked, but never an HNSW graph. Each executor would
   * build its own graph (25 min for 1M templates on 2 cores), taking the cores the scanning needs
   * and finishing after most jobs; until it is built the int8 scan answers anyway. So a gallery
   * large enough for AUTO to pick HNSW is scanned in int8 (every template, the best re-scored in float).
   */
  static SearchMethod executorMethod(SearchMethod asked, int size) {
    return asked.resolve(size) == SearchMethod.HNSW ? SearchMethod.INT8 : asked;
  }

  /** Templates in the gallery. */
  public int size() {
    return faceIds.length;
  }

  /** The snapshot's search index on this executor, deciding with {@code engine}'s calibration. */
  Matcher matcher(FaceEngine engine) {
    if (!engine.pack().id().equals(packId)) {
      throw new IllegalStateException("gallery '" + name + "' holds templates of pack " + packId + ", not " + engine.pack().id());
    }
    TemplateIndex index = new TemplateIndex(dimension, ForkJoinPool.commonPool());
    Map<Long, Long> subjectOf = new HashMap<>();
    for (int i = 0; i < faceIds.length; i++) {
      index.add(faceIds[i], templates[i]); // held, not copied: the broadcast's arrays are the index's
      subjectOf.put(faceIds[i], subjectIds[i]);
    }
    MatchPolicy policy = MatchPolicy.of(fmr, fpir, executorMethod(method, faceIds.length), aggregation, engine.verifier(), engine.pack().id());
    return new Matcher(index, subjectOf, policy);
  }

  /** A snapshot's index and rule on one executor. Thread-safe. */
  final class Matcher {
    private final TemplateIndex index;
    private final Map<Long, Long> subjectOf;
    private final MatchPolicy policy;

    private Matcher(TemplateIndex index, Map<Long, Long> subjectOf, MatchPolicy policy) {
      this.index = index;
      this.subjectOf = subjectOf;
      this.policy = policy;
    }

    MatchPolicy policy() {
      return policy;
    }

    int top() {
      return top;
    }

    /** Open-set identification of one template whose face is of {@code size}, as {@code Gallery.identify} makes it. */
    Identification identify(float[] probe, org.likeness.engine.verify.FaceSize size) {
      MatchPolicy.Probe p = policy.forProbe(probe, size);
      return p.decide(index.search(p.template(), MatchPolicy.hitsFor(top), p.policy().method()), subjectOf::get,
          s -> names.getOrDefault(s, "?"), index.size(), top);
    }
  }
}
