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
 * @param id what executors cache the index under
 * @param templates the faces' templates, one after the other ({@code dimension} floats each)
 */
public record GallerySnapshot(String id, String name, String packId, int dimension, long[] faceIds, long[] subjectIds,
    Map<Long, String> names, float[] templates, Double fmr, Double fpir, SearchMethod method, Aggregation aggregation, int top)
    implements Serializable {

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
    float[] flat = new float[vectors.size() * info.dimension()];
    for (int i = 0; i < vectors.size(); i++) {
      System.arraycopy(vectors.get(i), 0, flat, i * info.dimension(), info.dimension());
    }
    return new GallerySnapshot(UUID.randomUUID().toString(), info.name(), info.packId(), info.dimension(),
        faces.stream().mapToLong(Long::longValue).toArray(), subjects.stream().mapToLong(Long::longValue).toArray(),
        new HashMap<>(store.subjectNames(info.id())), flat, fmr, fpir, method, Aggregation.MAX, top);
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
      float[] t = new float[dimension];
      System.arraycopy(templates, i * dimension, t, 0, dimension);
      index.add(faceIds[i], t);
      subjectOf.put(faceIds[i], subjectIds[i]);
    }
    MatchPolicy policy = MatchPolicy.of(fmr, fpir, method, aggregation, engine.verifier(), engine.pack().id());
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
