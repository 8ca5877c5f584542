package org.likeness.gallery.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.likeness.engine.verify.FmrTable;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.service.Answers;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.NotFoundException;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredSighting;

/**
 * Unknown faces for one pack: clusters kept current as sightings arrive ({@link #update}), a full
 * re-clustering that keeps every reviewer's decision ({@link #rebuild}), the decisions themselves
 * (name, merge, split, remove a face, reject a pair, undo), suggestions, and every sighting of a
 * person ({@link #appearances}); the decisions, suggestions and appearances are their own classes
 * ({@link ClusterDecisions}, {@link ClusterSuggestions}, {@link Appearances}) that this one composes.
 * Every operation is audited; every decision is logged with what
 * undoing it needs. Answers are JSON-ready maps.
 */
public final class ClusterService implements AutoCloseable {
  /** Faces of a named cluster enrolled into the gallery (the best by quality). */
  public static final int NAMED_FACES = 5;
  /** Up to this many faces, re-clustering scores every pair; above, each face's nearest neighbours in cells ({@link NeighbourGraph}). */
  static final int ALL_PAIRS_UP_TO = NeighbourGraph.Partition.EXACT_UP_TO;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GalleryStore store;
  private final ScanStore scans;
  private final ClusterStore clusters;
  private final GalleryService galleries;
  private final AuditLog audit;
  private final String pack;
  private final int dimension;
  private final ClusterThresholds thresholds;
  private final ForkJoinPool pool;
  private final SightingIndex sightings;
  private final Object assigning = new Object();
  private IncrementalAssigner assigner; // the clustered unknown faces, kept between updates (guarded by assigning)
  private ClusterStore.Membership assignerSeen; // the memberships it holds
  private final ClusterDecisions decisions;
  private final ClusterSuggestions suggestions;
  private final Appearances appearances;

  /** The clusters of {@code packId}'s sightings (templates of {@code dimension} values), decided at {@code thresholds}. */
  public ClusterService(GalleryStore store, GalleryService galleries, AuditLog audit, String packId, int dimension,
      ClusterThresholds thresholds) {
    this.store = store;
    this.scans = store.repositories().scans();
    this.clusters = store.repositories().clusters();
    this.galleries = galleries;
    this.audit = audit.within(store); // each change's record is written in the change's transaction
    this.pack = packId;
    this.dimension = dimension;
    this.thresholds = thresholds;
    // Its own pool of one worker per core: the common pool has one fewer, which on 2 cores halves re-clustering.
    this.pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    this.sightings = new SightingIndex(store, packId, dimension, pool);
    this.decisions = new ClusterDecisions(store, clusters, galleries, this.audit, packId, this::forgetAssigner);
    this.suggestions = new ClusterSuggestions(clusters, galleries, packId, dimension, thresholds, pool);
    this.appearances = new Appearances(store, clusters, this.audit, packId, sightings);
  }

  /** Expert: the index of every sighting that {@link #appearances} searches (kept for the service's life). */
  public SightingIndex sightings() {
    return sightings;
  }

  /**
   * The gallery of this pack that holds {@code subject}, for a caller that names a subject without
   * its gallery: the only one that has it; refused when none does (not found) or several do (the
   * caller must say which: the same name in two galleries may be two people).
   */
  public String galleryOf(String subject) {
    List<String> holding = store.galleries().stream().filter(g -> g.packId().equals(pack))
        .filter(g -> store.subject(g.id(), subject).isPresent()).map(GalleryInfo::name).sorted().toList();
    if (holding.isEmpty()) {
      throw new NotFoundException("no gallery of pack " + pack + " has a subject '" + subject + "'");
    }
    if (holding.size() > 1) {
      throw new InvalidInputException("subject '" + subject + "' is in galleries " + String.join(", ", holding)
          + ": say which (--gallery, or ?gallery=)");
    }
    return holding.get(0);
  }

  /** The store of clusters (for reads). */
  public ClusterStore store() {
    return clusters;
  }

  // ---- clustering

  /** What placing new unknown sightings did: how many there are, joined, opened, released (named since), dropped empty. */
  public record Updated(int unknownSightings, int joinedClusters, int newClusters, int released, int emptyDropped) {}

  /** What a full re-clustering did, and the graph it used. */
  public record Rebuilt(int unknownSightings, int clusters, int lockedKept, int newClusters, String graph) {}

  /**
   * Places every unknown sighting not yet in a cluster (a new scan's faces) into the cluster whose
   * members it is closest to on average, or a new one; sightings a subject now claims leave their
   * clusters. Nothing placed before moves. Audited.
   */
  public Updated update(String actor) {
    try { // the placements and their record: one transaction
      return clusters.transaction(() -> updateInTransaction(actor));
    } catch (RuntimeException e) {
      forgetAssigner(); // it learnt placements that were rolled back
      throw e;
    }
  }

  private Updated updateInTransaction(String actor) {
    int released = clusters.releaseClaimed(pack);
    int placed = 0, opened = 0, unknown;
    synchronized (assigning) {
      IncrementalAssigner assigner = assigner();
      for (ClusterStore.Unknown u : clusters.unplaced(pack)) {
        IncrementalAssigner.Placement p = assigner.place(u.template());
        long c = p.cluster();
        if (c == 0) {
          c = clusters.newCluster(pack, false);
          opened++;
        } else {
          placed++;
        }
        clusters.place(u.sightingId(), c, false);
        assigner.add(u.sightingId(), u.template(), c);
      }
      unknown = assigner.size();
      assignerSeen = clusters.membership(pack);
    }
    int dropped = clusters.dropEmpty(pack);
    Updated m = new Updated(unknown, placed, opened, released, dropped);
    audit.append(actor, "clusters.update", null, Map.of("pack", pack), Answers.fields(m));
    return m;
  }

  /**
   * The assigner holding every clustered unknown face: kept from the last update while the stored
   * memberships still match it (a kept index is what makes placing a face fast at scale), else
   * loaded again. Changes made through this service drop it; the fingerprint catches the others
   * (deleted scans, another process).
   */
  private IncrementalAssigner assigner() {
    if (assigner != null && clusters.membership(pack).equals(assignerSeen)) {
      return assigner;
    }
    if (assigner != null) {
      assigner.close();
    }
    assigner = new IncrementalAssigner(dimension, thresholds.link(), pool);
    for (ClusterStore.Unknown u : clusters.unknown(pack)) {
      if (u.clusterId() != 0) {
        assigner.add(u.sightingId(), u.template(), u.clusterId());
      }
    }
    return assigner;
  }

  /** Drops the kept assigner after a change of memberships. */
  private void forgetAssigner() {
    synchronized (assigning) {
      if (assigner != null) {
        assigner.close();
        assigner = null;
      }
    }
  }

  /**
   * Clusters every unknown sighting again from scratch, keeping reviewers' work: locked clusters
   * keep their ids and pinned faces, two locked clusters are never joined, cannot-links hold
   * (they are between locked clusters). Audited.
   */
  public Rebuilt rebuild(String actor) {
    return rebuild(actor, null);
  }

  /**
   * As {@link #rebuild(String)}, with the neighbour graph of a large set (above
   * {@link NeighbourGraph.Partition#EXACT_UP_TO} faces) built by {@code graphs} (a cluster's, say);
   * null: on this machine. Up to that size every pair is scored here.
   */
  public Rebuilt rebuild(String actor, NeighbourGraph.Builder graphs) {
    clusters.releaseClaimed(pack);
    List<ClusterStore.Unknown> all = clusters.unknown(pack);
    int n = all.size();
    float[][] e = new float[n][];
    int[] group = new int[n];
    boolean[] locked = new boolean[n];
    Map<Long, Integer> groupOfLocked = new HashMap<>();
    Map<Integer, Long> lockedOf = new HashMap<>();
    for (int i = 0; i < n; i++) {
      ClusterStore.Unknown u = all.get(i);
      e[i] = u.template();
      group[i] = i;
      if (u.pinned()) { // a reviewer's placement: its locked cluster is one starting group
        Integer gid = groupOfLocked.get(u.clusterId());
        if (gid == null) {
          gid = i;
          groupOfLocked.put(u.clusterId(), gid);
          locked[gid] = true;
        }
        group[i] = gid;
      }
    }
    NeighbourGraph.Partition cut = NeighbourGraph.Partition.forSize(n);
    SimilarityGraph graph = n <= ALL_PAIRS_UP_TO ? SimilarityGraph.of(e, thresholds.floor())
        : graphs != null ? graphs.build(e, IncrementalAssigner.NEIGHBOURS, thresholds.floor(), cut)
        : NeighbourGraph.of(e, IncrementalAssigner.NEIGHBOURS, thresholds.floor(), pool);
    int[] label = new ConstrainedLinkage(thresholds.link()).cluster(graph, group, locked);
    Map<Long, Integer> labels = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      labels.put(all.get(i).sightingId(), label[i]);
      if (all.get(i).pinned()) {
        lockedOf.put(label[i], all.get(i).clusterId());
      }
    }
    String described = n <= ALL_PAIRS_UP_TO ? "all pairs"
        : "nearest " + IncrementalAssigner.NEIGHBOURS + " through " + cut.probes() + " of " + cut.cells() + " cells"
        + (graphs != null ? " (" + graphs.describe() + ")" : "");
    Rebuilt m = clusters.transaction(() -> { // the new clustering and its record: one transaction
      int created = clusters.replace(pack, labels, lockedOf);
      clusters.dropEmpty(pack);
      Rebuilt r = new Rebuilt(n, clusters.clusters(pack).size(), groupOfLocked.size(), created, described);
      audit.append(actor, "clusters.rebuild", null, Map.of("pack", pack), Answers.fields(r));
      return r;
    });
    forgetAssigner();
    return m;
  }

  // ---- reading

  /** Every cluster, largest first: id, size, locked, subject, and its best face (highest quality). */
  public List<ClusterAnswers.Listed> list() {
    return clusters.clusters(pack).stream().map(c -> ClusterAnswers.Listed.of(c, clusters.cannotLinks(c.id()))).toList();
  }

  /** One cluster with every face: sighting, media, time, box, quality, whether a reviewer pinned it. */
  public ClusterAnswers.Shown show(long clusterId) {
    ClusterStore.Cluster c = clusters.requireCluster(clusterId);
    List<ClusterStore.Member> members = clusters.members(clusterId);
    Map<Long, Boolean> pinned = new HashMap<>();
    members.forEach(x -> pinned.put(x.sightingId(), x.pinned()));
    List<ClusterAnswers.Face> faces = scans.locate(members.stream().map(ClusterStore.Member::sightingId).toList()).stream()
        .map(l -> ClusterAnswers.Face.of(l, pinned.get(l.sighting().id()))).toList();
    return new ClusterAnswers.Shown(ClusterAnswers.Listed.of(c, clusters.cannotLinks(c.id())), faces);
  }

  // ---- decisions (ClusterDecisions)

  /**
   * Names a cluster: it becomes subject {@code subject} of {@code gallery} (its best faces are
   * enrolled), or joins that existing subject after a check that the faces agree with its enrolled
   * ones (mean similarity at least the gallery's threshold; {@code force} overrides). Locks the cluster.
   */
  public ClusterAnswers.Named name(String actor, long clusterId, String gallery, String subject, double threshold, boolean force) {
    return decisions.name(actor, clusterId, gallery, subject, threshold, force);
  }

  /** Merges cluster {@code from} into {@code into} (every face pinned there); refused for clusters a reviewer said differ. */
  public ClusterAnswers.Merged merge(String actor, long from, long into) {
    return decisions.merge(actor, from, into);
  }

  /** Moves the chosen faces of a cluster to a new cluster: two people, never joined again by clustering. */
  public ClusterAnswers.Split split(String actor, long clusterId, List<Long> sightings) {
    return decisions.split(actor, clusterId, sightings);
  }

  /** "Not this person": one face leaves the cluster for a cluster of its own that clustering never joins back. */
  public ClusterAnswers.FaceRemoved removeFace(String actor, long clusterId, long sighting) {
    return decisions.removeFace(actor, clusterId, sighting);
  }

  /** A reviewer says two clusters are different people: never merged, never suggested again. */
  public ClusterAnswers.Rejected reject(String actor, long a, long b) {
    return decisions.reject(actor, a, b);
  }

  /** Undoes the latest decision not undone: clusters, placements and cannot-links as they were, enrolled faces deleted. */
  public ClusterAnswers.Undone undo(String actor) {
    return decisions.undo(actor);
  }

  /** As {@link #undo(String)}, refused (conflict) unless the latest decision is {@code expected}: undo what you decided, not what someone decided since. */
  public ClusterAnswers.Undone undo(String actor, Long expected) {
    return decisions.undo(actor, expected);
  }

  // ---- suggestions (ClusterSuggestions)

  /**
   * Pairs of clusters that are probably one person (mean similarity from {@link ClusterThresholds#suggestFrom()} up to
   * the link; pairs a reviewer rejected are never shown), best first, with the closest two faces as
   * evidence; and, with a gallery, each unnamed cluster's nearest subjects below the decision threshold.
   */
  public ClusterAnswers.Suggestions suggestions(String gallery, MatchPolicy policy, int limit) {
    return suggestions.suggestions(gallery, policy, limit);
  }

  // ---- appearances (Appearances)

  /**
   * Every sighting of a person across all scanned media, best first: sightings whose similarity to
   * any of {@code probes} reaches {@code threshold} (found through the index over all sightings),
   * plus, for a subject, the sightings a scan decided are that subject (unless a reviewer rejected
   * it) and the faces of clusters named as that subject. Each with score, measured {@code fmr},
   * media, time and box. Audited.
   */
  public ClusterAnswers.Appearances appearances(String actor, List<float[]> probes, String gallery, String subject, double threshold,
      FmrTable calibration, int limit) {
    return appearances.appearances(actor, probes, gallery, subject, threshold, calibration, limit);
  }

  /** Stored JSON (quality, decisions, undo records) read back; shared by the clustering classes. */
  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is damaged: " + e.getMessage(), e);
    }
  }


  /** Closes the sighting index (a background graph build stops). */
  @Override
  public void close() {
    forgetAssigner();
    sightings.close();
    pool.shutdown();
  }
}
