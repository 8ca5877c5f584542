package org.likeness.gallery.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.apache.lucene.util.VectorUtil;
import org.likeness.engine.verify.FmrTable;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.search.TemplateIndex;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.ConflictException;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.NotFoundException;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredFace;
import org.likeness.gallery.store.StoredSighting;

/**
 * Unknown faces for one pack: clusters kept current as sightings arrive ({@link #update}), a full
 * re-clustering that keeps every reviewer's decision ({@link #rebuild}), the decisions themselves
 * (name, merge, split, remove a face, reject a pair, undo), suggestions, and every sighting of a
 * person ({@link #appearances}). Every operation is audited; every decision is logged with what
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

  /** The clusters of {@code packId}'s sightings (templates of {@code dimension} values), decided at {@code thresholds}. */
  public ClusterService(GalleryStore store, GalleryService galleries, AuditLog audit, String packId, int dimension,
      ClusterThresholds thresholds) {
    this.store = store;
    this.scans = new ScanStore(store);
    this.clusters = new ClusterStore(store);
    this.galleries = galleries;
    this.audit = audit;
    this.pack = packId;
    this.dimension = dimension;
    this.thresholds = thresholds;
    // Its own pool of one worker per core: the common pool has one fewer, which on 2 cores halves re-clustering.
    this.pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    this.sightings = new SightingIndex(store, packId, dimension, pool);
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

  /**
   * Places every unknown sighting not yet in a cluster (a new scan's faces) into the cluster whose
   * members it is closest to on average, or a new one; sightings a subject now claims leave their
   * clusters. Nothing placed before moves. Audited.
   */
  public Map<String, Object> update(String actor) {
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
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unknownSightings", unknown);
    m.put("joinedClusters", placed);
    m.put("newClusters", opened);
    m.put("released", released);
    m.put("emptyDropped", dropped);
    audit.append(actor, "clusters.update", null, Map.of("pack", pack), m);
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
  public Map<String, Object> rebuild(String actor) {
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
    SimilarityGraph graph = n <= ALL_PAIRS_UP_TO ? SimilarityGraph.of(e, thresholds.floor())
        : NeighbourGraph.of(e, IncrementalAssigner.NEIGHBOURS, thresholds.floor(), pool);
    int[] label = new ConstrainedLinkage(thresholds.link()).cluster(graph, group, locked);
    Map<Long, Integer> labels = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      labels.put(all.get(i).sightingId(), label[i]);
      if (all.get(i).pinned()) {
        lockedOf.put(label[i], all.get(i).clusterId());
      }
    }
    int created = clusters.replace(pack, labels, lockedOf);
    clusters.dropEmpty(pack);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unknownSightings", n);
    m.put("clusters", clusters.clusters(pack).size());
    m.put("lockedKept", groupOfLocked.size());
    m.put("newClusters", created);
    NeighbourGraph.Partition cut = NeighbourGraph.Partition.forSize(n);
    m.put("graph", n <= ALL_PAIRS_UP_TO ? "all pairs" : "nearest " + IncrementalAssigner.NEIGHBOURS + " through " + cut.probes()
        + " of " + cut.cells() + " cells");
    forgetAssigner();
    audit.append(actor, "clusters.rebuild", null, Map.of("pack", pack), m);
    return m;
  }

  // ---- reading

  /** Every cluster, largest first: id, size, locked, subject, and its best face (highest quality). */
  public List<Map<String, Object>> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ClusterStore.Cluster c : clusters.clusters(pack)) {
      out.add(summary(c));
    }
    return out;
  }

  private Map<String, Object> summary(ClusterStore.Cluster c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cluster", c.id());
    m.put("size", c.size());
    m.put("locked", c.locked());
    m.put("subject", c.subject());
    m.put("gallery", c.gallery());
    m.put("cannotLink", clusters.cannotLinks(c.id()));
    m.put("updated", c.updated().toString());
    return m;
  }

  /** One cluster with every face: sighting, media, time, box, quality, whether a reviewer pinned it. */
  public Map<String, Object> show(long clusterId) {
    ClusterStore.Cluster c = clusters.requireCluster(clusterId);
    Map<String, Object> m = summary(c);
    List<ClusterStore.Member> members = clusters.members(clusterId);
    Map<Long, Boolean> pinned = new HashMap<>();
    members.forEach(x -> pinned.put(x.sightingId(), x.pinned()));
    List<Map<String, Object>> faces = new ArrayList<>();
    for (ScanStore.Located l : scans.locate(members.stream().map(ClusterStore.Member::sightingId).toList())) {
      Map<String, Object> f = sighting(l);
      f.put("pinned", pinned.get(l.sighting().id()));
      faces.add(f);
    }
    m.put("faces", faces);
    return m;
  }

  /** A sighting with its provenance: {@code sighting, scan, track, media:{sha256, kind, path}, time, start, end, box, quality}. */
  static Map<String, Object> sighting(ScanStore.Located l) {
    StoredSighting g = l.sighting();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("sighting", g.id());
    f.put("scan", g.scanId());
    f.put("track", g.number());
    Map<String, Object> media = new LinkedHashMap<>();
    media.put("sha256", l.scan().media().sha256());
    media.put("kind", l.scan().media().kind());
    media.put("path", l.scan().media().path());
    f.put("media", media);
    f.put("time", g.bestTime() == null ? null : Shapes.round4(g.bestTime()));
    f.put("start", g.start() == null ? null : Shapes.round4(g.start()));
    f.put("end", g.end() == null ? null : Shapes.round4(g.end()));
    f.put("box", Shapes.box(g.box()));
    f.put("quality", read(g.qualityJson()).path("score").asDouble());
    return f;
  }

  // ---- decisions

  /**
   * Names a cluster: it becomes subject {@code subject} of {@code gallery} (its best faces are
   * enrolled), or joins that existing subject after a check that the faces agree with its enrolled
   * ones (mean similarity at least the gallery's threshold; {@code force} overrides). Locks the cluster.
   */
  public Map<String, Object> name(String actor, long clusterId, String gallery, String subject, double threshold, boolean force) {
    ClusterStore.Cluster c = clusters.requireCluster(clusterId);
    List<ClusterStore.Member> members = clusters.members(clusterId);
    List<ScanStore.Located> faces = scans.locate(members.stream().map(ClusterStore.Member::sightingId).toList());
    var existing = store.gallery(gallery).flatMap(g -> store.subject(g.id(), subject));
    Double agreement = null;
    if (existing.isPresent()) {
      List<StoredFace> enrolled = store.facesOf(existing.get().id());
      double sum = 0;
      int pairs = 0;
      for (ScanStore.Located l : faces) {
        for (StoredFace f : enrolled) {
          sum += VectorUtil.dotProduct(l.sighting().template(), f.template());
          pairs++;
        }
      }
      agreement = pairs == 0 ? null : sum / pairs;
      if (agreement != null && agreement < threshold && !force) {
        throw new ConflictException(String.format(java.util.Locale.ROOT,
            "the faces of cluster %d do not agree with %s's enrolled faces (mean similarity %.3f < %.3f): check, or force", clusterId,
            subject, agreement, threshold));
      }
    }
    List<ScanStore.Located> best = new ArrayList<>(faces);
    best.sort(Comparator.comparingDouble((ScanStore.Located l) -> -read(l.sighting().qualityJson()).path("score").asDouble())
        .thenComparingLong(l -> l.sighting().id()));
    best = best.subList(0, Math.min(NAMED_FACES, best.size()));
    List<GalleryService.TemplateFace> enrol = best.stream().map(l -> new GalleryService.TemplateFace(
        l.scan().media().sha256() + "#" + l.sighting().number(), l.sighting().box(), l.sighting().qualityJson(),
        l.sighting().template(), l.sighting().cropPng())).toList();
    Map<String, Object> undo = snapshot(List.of(c), members, List.of(), List.of());
    List<Long> faceIds = galleries.enrolTemplates(actor, gallery, subject, enrol);
    undo.put("faces", Map.of("gallery", gallery, "ids", faceIds, "subjectExisted", existing.isPresent(), "subject", subject));
    clusters.transaction(() -> {
      clusters.lock(clusterId);
      clusters.updateCluster(clusterId, true, subject, gallery);
      return null;
    });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cluster", clusterId);
    m.put("subject", subject);
    m.put("gallery", gallery);
    m.put("joinedExisting", existing.isPresent());
    m.put("agreement", agreement == null ? null : Shapes.round4(agreement));
    m.put("facesEnrolled", faceIds);
    return decided(actor, "name", m, undo);
  }

  /** Merges cluster {@code from} into {@code into} (every face pinned there); refused for clusters a reviewer said differ. */
  public Map<String, Object> merge(String actor, long from, long into) {
    if (from == into) {
      throw new InvalidInputException("a cluster cannot be merged into itself");
    }
    ClusterStore.Cluster a = clusters.requireCluster(from), b = clusters.requireCluster(into);
    if (clusters.cannotLink(from, into)) {
      throw new ConflictException("a reviewer said clusters " + from + " and " + into + " are different people (undo that first)");
    }
    if (a.subject() != null && b.subject() != null && !a.subject().equals(b.subject())) {
      throw new ConflictException("cluster " + from + " is named " + a.subject() + " and " + into + " is named " + b.subject());
    }
    List<ClusterStore.Member> ma = clusters.members(from), mb = clusters.members(into);
    List<ClusterStore.Member> both = new ArrayList<>(ma);
    both.addAll(mb);
    Map<String, Object> undo = snapshot(List.of(a, b), both, List.of(), List.of());
    List<Long> fromLinks = clusters.cannotLinks(from);
    undo.put("cannot", fromLinks.stream().filter(o -> !clusters.cannotLink(into, o)).map(o -> List.of(into, o)).toList());
    undo.put("cannotRestore", fromLinks.stream().map(o -> List.of(from, o)).toList());
    clusters.transaction(() -> {
      for (ClusterStore.Member x : ma) {
        clusters.place(x.sightingId(), into, true);
      }
      for (long other : clusters.cannotLinks(from)) { // what was said of the part holds for the whole
        clusters.addCannotLink(into, other);
      }
      clusters.lock(into);
      if (b.subject() == null && a.subject() != null) {
        clusters.updateCluster(into, true, a.subject(), a.gallery());
      }
      clusters.deleteCluster(from);
      return null;
    });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("merged", from);
    m.put("into", into);
    m.put("size", clusters.requireCluster(into).size());
    return decided(actor, "merge", m, undo);
  }

  /** Moves the chosen faces of a cluster to a new cluster: two people, never joined again by clustering. */
  public Map<String, Object> split(String actor, long clusterId, List<Long> sightings) {
    ClusterStore.Cluster c = clusters.requireCluster(clusterId);
    List<ClusterStore.Member> members = clusters.members(clusterId);
    Set<Long> in = new HashSet<>();
    members.forEach(x -> in.add(x.sightingId()));
    if (sightings.isEmpty() || !in.containsAll(sightings) || sightings.size() == members.size()) {
      throw new InvalidInputException("name some, not all, of cluster " + clusterId + "'s faces (its sightings: " + in + ")");
    }
    Map<String, Object> undo = snapshot(List.of(c), members, List.of(), List.of());
    long fresh = clusters.transaction(() -> {
      long id = clusters.newCluster(pack, true);
      for (long s : sightings) {
        clusters.place(s, id, true);
      }
      clusters.lock(clusterId);
      clusters.addCannotLink(clusterId, id);
      return id;
    });
    undo.put("created", List.of(fresh));
    undo.put("cannot", List.of(List.of(clusterId, fresh)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cluster", clusterId);
    m.put("newCluster", fresh);
    m.put("moved", sightings);
    return decided(actor, "split", m, undo);
  }

  /** "Not this person": one face leaves the cluster for a cluster of its own that clustering never joins back. */
  public Map<String, Object> removeFace(String actor, long clusterId, long sighting) {
    Map<String, Object> m = split(actor, clusterId, List.of(sighting));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cluster", clusterId);
    out.put("removed", sighting);
    out.put("nowIn", m.get("newCluster"));
    return out;
  }

  /** A reviewer says two clusters are different people: never merged, never suggested again. */
  public Map<String, Object> reject(String actor, long a, long b) {
    if (a == b) {
      throw new InvalidInputException("a cluster is its own person");
    }
    ClusterStore.Cluster ca = clusters.requireCluster(a), cb = clusters.requireCluster(b);
    List<ClusterStore.Member> both = new ArrayList<>(clusters.members(a));
    both.addAll(clusters.members(b));
    Map<String, Object> undo = snapshot(List.of(ca, cb), both, List.of(), List.of());
    undo.put("cannot", List.of(List.of(a, b)));
    clusters.transaction(() -> {
      clusters.addCannotLink(a, b);
      clusters.lock(a);
      clusters.lock(b);
      return null;
    });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cannotLink", List.of(Math.min(a, b), Math.max(a, b)));
    return decided(actor, "reject", m, undo);
  }

  /** Undoes the latest decision not undone: clusters, placements and cannot-links as they were, enrolled faces deleted. */
  public Map<String, Object> undo(String actor) {
    ClusterStore.Decision d = clusters.lastDecision(pack).orElseThrow(() -> new InvalidInputException("no decision to undo"));
    JsonNode u = read(d.undoJson());
    JsonNode faces = u.path("faces");
    if (faces.has("ids")) { // enrolled by a naming: deleted for real (audited by the gallery service)
      for (JsonNode id : faces.get("ids")) {
        try {
          galleries.deleteFace(actor, faces.get("gallery").asText(), id.asLong());
        } catch (NotFoundException gone) {
          // deleted since: nothing to undo
        }
      }
      if (!faces.path("subjectExisted").asBoolean() && store.gallery(faces.get("gallery").asText())
          .flatMap(g -> store.subject(g.id(), faces.get("subject").asText())).map(s -> s.faces() == 0).orElse(false)) {
        galleries.deleteSubject(actor, faces.get("gallery").asText(), faces.get("subject").asText());
      }
    }
    clusters.transaction(() -> {
      for (JsonNode c : u.path("clusters")) {
        clusters.restoreCluster(new ClusterStore.Cluster(c.get("id").asLong(), pack, c.get("locked").asBoolean(),
            c.get("subject").isNull() ? null : c.get("subject").asText(), c.get("gallery").isNull() ? null : c.get("gallery").asText(), 0,
            java.time.Instant.parse(c.get("created").asText()), java.time.Instant.now()));
      }
      for (JsonNode x : u.path("members")) {
        long sighting = x.get("sighting").asLong();
        if (scans.allExist(new long[] {sighting})) { // a sighting whose scan was deleted since has no place to go back to
          clusters.place(sighting, x.get("cluster").asLong(), x.get("pinned").asBoolean());
        }
      }
      for (JsonNode pair : u.path("cannot")) {
        clusters.removeCannotLink(pair.get(0).asLong(), pair.get(1).asLong());
      }
      for (JsonNode pair : u.path("cannotRestore")) {
        clusters.addCannotLink(pair.get(0).asLong(), pair.get(1).asLong());
      }
      for (JsonNode id : u.path("created")) {
        clusters.deleteCluster(id.asLong());
      }
      clusters.undone(d.id());
      return null;
    });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("undone", d.id());
    m.put("action", d.action());
    m.put("summary", read(d.summaryJson()));
    forgetAssigner();
    audit.append(actor, "clusters.undo", null, Map.of("decision", d.id()), m);
    return m;
  }

  /** The state undoing needs: cluster rows and placements as they are now. */
  private static Map<String, Object> snapshot(List<ClusterStore.Cluster> cs, List<ClusterStore.Member> members, List<Long> created,
      List<List<Long>> cannot) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ClusterStore.Cluster c : cs) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", c.id());
      r.put("locked", c.locked());
      r.put("subject", c.subject());
      r.put("gallery", c.gallery());
      r.put("created", c.created().toString());
      rows.add(r);
    }
    List<Map<String, Object>> ms = new ArrayList<>();
    for (ClusterStore.Member x : members) {
      ms.add(Map.of("sighting", x.sightingId(), "cluster", x.clusterId(), "pinned", x.pinned()));
    }
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("clusters", rows);
    u.put("members", ms);
    u.put("created", created);
    u.put("cannot", cannot);
    return u;
  }

  private Map<String, Object> decided(String actor, String action, Map<String, Object> summary, Map<String, Object> undo) {
    long id = clusters.logDecision(pack, actor, action, json(summary), json(undo));
    forgetAssigner();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision", id);
    m.putAll(summary);
    audit.append(actor, "clusters." + action, (String) summary.get("gallery"), Map.of("pack", pack), m);
    return m;
  }

  // ---- suggestions

  /**
   * Pairs of clusters that are probably one person (mean similarity from {@link ClusterThresholds#suggestFrom()} up to
   * the link; pairs a reviewer rejected are never shown), best first, with the closest two faces as
   * evidence; and, with a gallery, each unnamed cluster's nearest subjects below the decision threshold.
   */
  public Map<String, Object> suggestions(String gallery, MatchPolicy policy, int limit) {
    List<ClusterStore.Unknown> all = clusters.unknown(pack);
    ClusterSums sums = new ClusterSums(dimension);
    Map<Long, List<ClusterStore.Unknown>> byCluster = new HashMap<>();
    for (ClusterStore.Unknown u : all) {
      if (u.clusterId() == 0) {
        continue;
      }
      sums.add(u.clusterId(), u.template());
      byCluster.computeIfAbsent(u.clusterId(), k -> new ArrayList<>()).add(u);
    }
    List<Long> ids = sums.clusters();
    List<Map<String, Object>> pairs = new ArrayList<>();
    try (TemplateIndex centroids = new TemplateIndex(dimension, pool)) {
      for (long id : ids) {
        centroids.add(id, sums.centroid(id));
      }
      Set<String> seen = new HashSet<>();
      for (long a : ids) {
        for (Hit h : centroids.search(sums.centroid(a), 8, SearchMethod.AUTO)) {
          long b = h.faceId();
          if (b == a || !seen.add(Math.min(a, b) + ":" + Math.max(a, b)) || clusters.cannotLink(a, b)) {
            continue;
          }
          double mean = sums.mean(a, b);
          if (mean >= thresholds.suggestFrom() && mean < thresholds.link()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("clusters", List.of(Math.min(a, b), Math.max(a, b)));
            p.put("score", Shapes.round4(mean));
            p.put("closest", closest(byCluster.get(a), byCluster.get(b)));
            pairs.add(p);
          }
        }
      }
    }
    pairs.sort(Comparator.comparingDouble((Map<String, Object> p) -> -(double) p.get("score")));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs", pairs.subList(0, Math.min(limit, pairs.size())));
    if (gallery != null) {
      var g = galleries.searchable(gallery, pack); // stored templates: no engine needed
      List<Map<String, Object>> near = new ArrayList<>();
      for (ClusterStore.Cluster c : clusters.clusters(pack)) {
        if (c.subject() != null || !sums.contains(c.id())) {
          continue;
        }
        Identification id = g.identify(sums.centroid(c.id()), 3, policy);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cluster", c.id());
        s.put("size", c.size());
        s.put("nearest", id.candidates().stream().map(Shapes::candidate).toList());
        near.add(s);
        if (near.size() >= limit) {
          break;
        }
      }
      m.put("nearestSubjects", near);
    }
    return m;
  }

  /** The most similar face pair across two clusters (each sampled to its first 50 faces). */
  private static Map<String, Object> closest(List<ClusterStore.Unknown> a, List<ClusterStore.Unknown> b) {
    double best = Double.NEGATIVE_INFINITY;
    long sa = 0, sb = 0;
    for (ClusterStore.Unknown x : a.subList(0, Math.min(50, a.size()))) {
      for (ClusterStore.Unknown y : b.subList(0, Math.min(50, b.size()))) {
        double s = VectorUtil.dotProduct(x.template(), y.template());
        if (s > best) {
          best = s;
          sa = x.sightingId();
          sb = y.sightingId();
        }
      }
    }
    return Map.of("sightings", List.of(sa, sb), "score", Shapes.round4(best));
  }

  // ---- appearances

  /**
   * Every sighting of a person across all scanned media, best first: sightings whose similarity to
   * any of {@code probes} reaches {@code threshold} (found through the index over all sightings),
   * plus, for a subject, the sightings a scan decided are that subject (unless a reviewer rejected
   * it) and the faces of clusters named as that subject. Each with score, measured {@code fmr},
   * media, time and box. Audited.
   */
  public Map<String, Object> appearances(String actor, List<float[]> probes, String gallery, String subject, double threshold,
      FmrTable calibration, int limit) {
    Map<Long, Float> score = new HashMap<>();
    Map<Long, String> why = new HashMap<>();
    sightings.refresh();
    int k = Math.min(Math.max(limit, 1) * 2, Math.max(1, sightings.size()));
    for (float[] p : probes) {
      for (Hit h : sightings.search(p, k)) {
        if (h.score() >= threshold && h.score() > score.getOrDefault(h.faceId(), Float.NEGATIVE_INFINITY)) {
          score.put(h.faceId(), h.score());
          why.put(h.faceId(), "similar");
        }
      }
    }
    if (subject != null) {
      for (long id : clusters.sightingsNamed(pack, gallery, subject)) {
        why.putIfAbsent(id, "decided");
      }
    }
    List<Long> ids = new ArrayList<>(why.keySet());
    List<ScanStore.Located> found = scans.locate(ids);
    List<Map<String, Object>> out = new ArrayList<>();
    for (ScanStore.Located l : found) {
      float s = score.containsKey(l.sighting().id()) ? score.get(l.sighting().id()) : bestScore(l.sighting().template(), probes);
      Map<String, Object> f = sighting(l);
      f.put("score", Shapes.round4(s));
      f.put("fmr", calibration == null ? null : Shapes.fmr(calibration.fmrAt(s)));
      f.put("found", why.get(l.sighting().id()));
      f.put("decision", l.sighting().decisionJson() == null ? null : read(l.sighting().decisionJson()).path("decision").path("subject")
          .asText(null));
      f.put("verdict", l.sighting().verdict() == null ? null : l.sighting().verdict().verdict());
      clusters.member(l.sighting().id()).ifPresent(x -> f.put("cluster", x.clusterId()));
      out.add(f);
    }
    out.sort(Comparator.comparingDouble((Map<String, Object> f) -> -(double) f.get("score")).thenComparingLong(f -> (long) f.get("sighting")));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", subject);
    m.put("threshold", Shapes.round4(threshold));
    m.put("appearances", out.subList(0, Math.min(limit, out.size())));
    m.put("total", out.size());
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("pack", pack);
    in.put("subject", subject);
    in.put("probes", probes.size());
    audit.append(actor, "appearances", gallery, in, Map.of("sightings", out.stream().limit(limit).map(f -> f.get("sighting")).toList()));
    return m;
  }

  private static float bestScore(float[] t, List<float[]> probes) {
    float best = -1;
    for (float[] p : probes) {
      best = Math.max(best, VectorUtil.dotProduct(t, p));
    }
    return best;
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is damaged: " + e.getMessage(), e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
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
