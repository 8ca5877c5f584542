package org.likeness.gallery.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredSighting;

/**
 * Clusters and a reviewer's decisions on them, answered as typed records: each record's
 * components, in order, are its JSON fields (an unwrapped component's fields in its place: the
 * shapes the CLI prints and the REST API returns, unchanged). A logged decision's answer starts with its {@code decision} number; the rest is its
 * summary, which the decision log keeps and an undo answers with.
 */
public final class ClusterAnswers {
  private ClusterAnswers() {}

  /** A cluster as listed: its number, size, whether a reviewer locked it, its name (subject and gallery) if named, the clusters said to be other people, when it last changed. */
  public record Listed(long cluster, int size, boolean locked, String subject, String gallery, List<Long> cannotLink, String updated) {
    static Listed of(ClusterStore.Cluster c, List<Long> cannotLink) {
      return new Listed(c.id(), c.size(), c.locked(), c.subject(), c.gallery(), cannotLink, c.updated().toString());
    }
  }

  /** One cluster as listed, with every face. */
  public record Shown(@JsonUnwrapped Listed listed, List<Face> faces) {}

  /** Where a sighting was seen: its media's content hash, kind and path. */
  public record Media(String sha256, String kind, String path) {}

  /**
   * A sighting with its provenance: scan, track (or face) number, media, best time, start and end
   * (a track's), box, quality score, and in a cluster whether a reviewer pinned it there (absent elsewhere).
   */
  public record Face(long sighting, long scan, int track, Media media, Double time, Double start, Double end, Shapes.BoxShown box,
      double quality, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean pinned) {
    static Face of(ScanStore.Located l, Boolean pinned) {
      StoredSighting g = l.sighting();
      return new Face(g.id(), g.scanId(), g.number(), new Media(l.scan().media().sha256(), l.scan().media().kind(),
          l.scan().media().path()), g.bestTime() == null ? null : Shapes.round4(g.bestTime()),
          g.start() == null ? null : Shapes.round4(g.start()), g.end() == null ? null : Shapes.round4(g.end()), Shapes.box(g.box()),
          ClusterService.read(g.qualityJson()).path("score").asDouble(), pinned);
    }
  }

  /**
   * One appearance of a person: a sighting with its provenance (as {@link Face}), its score against
   * the probes and that score's measured false-match rate, how it was found ({@code similar} or
   * {@code decided}), the subject its scan decided and a reviewer's verdict, and its cluster (absent
   * when in none).
   */
  public record Appearance(@JsonUnwrapped Face face, double score, Object fmr, String found, String decision, String verdict,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long cluster) {}

  /** Every appearance of a person (or a face) found at {@code threshold}, best first: the first {@code limit}, and how many in all. */
  public record Appearances(String subject, double threshold, List<Appearance> appearances, int total) {}

  /** The most similar two faces across a pair of clusters, and their similarity. */
  public record Closest(List<Long> sightings, double score) {}

  /** Two clusters that are probably one person: their numbers, mean similarity, and the closest faces as evidence. */
  public record Pair(List<Long> clusters, double score, Closest closest) {}

  /** An unnamed cluster's nearest subjects of a gallery (candidates below the decision threshold). */
  public record Nearest(long cluster, int size, List<Shapes.CandidateShown> nearest) {}

  /** Pairs to merge, best first; with a gallery, each unnamed cluster's nearest subjects (absent without one). */
  public record Suggestions(List<Pair> pairs, @JsonInclude(JsonInclude.Include.NON_NULL) List<Nearest> nearestSubjects) {}

  /** A cluster named: the subject it became or joined, how well its faces agreed with one existing, the faces enrolled. */
  public record Named(long decision, long cluster, String subject, String gallery, boolean joinedExisting, Double agreement,
      List<Long> facesEnrolled) {}

  /** Cluster {@code merged} merged into {@code into}, now of {@code size} faces. */
  public record Merged(long decision, long merged, long into, int size) {}

  /** Faces of {@code cluster} moved to {@code newCluster}: two people, never joined again by clustering. */
  public record Split(long decision, long cluster, long newCluster, List<Long> moved) {}

  /** One face out of {@code cluster}, now alone in cluster {@code nowIn}: a split, {@code decision} (what an undo names). */
  public record FaceRemoved(long decision, long cluster, long removed, long nowIn) {}

  /** Two clusters said to be different people. */
  public record Rejected(long decision, List<Long> cannotLink) {}

  /** A decision undone: its number, its action, and its summary as logged. */
  public record Undone(long undone, String action, JsonNode summary) {}
}
