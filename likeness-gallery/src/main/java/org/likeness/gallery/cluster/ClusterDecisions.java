package org.likeness.gallery.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.service.Answers;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.store.SubjectInfo;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.ConflictException;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.NotFoundException;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredFace;
import org.likeness.gallery.store.StoredJson;

/** A reviewer's decisions on clusters: name, merge, split, remove a face, reject a pair, undo; each logged with what undoing it needs, and audited. */
final class ClusterDecisions {
  private final GalleryStore store;
  private final ScanStore scans;
  private final ClusterStore clusters;
  private final GalleryService galleries;
  private final AuditLog audit;
  private final String pack;
  /** Runs after every decision: memberships changed, so the clustering's kept state is stale. */
  private final Runnable changed;

  ClusterDecisions(GalleryStore store, ClusterStore clusters, GalleryService galleries, AuditLog audit, String pack, Runnable changed) {
    this.store = store;
    this.scans = store.repositories().scans();
    this.clusters = clusters;
    this.galleries = galleries;
    this.audit = audit;
    this.pack = pack;
    this.changed = changed;
  }

  /**
   * Names a cluster: it becomes subject {@code subject} of {@code gallery} (its best faces are
   * enrolled), or joins that existing subject after a check that the faces agree with its enrolled
   * ones (mean similarity at least the gallery's threshold; {@code force} overrides). Locks the cluster.
   */
  public ClusterAnswers.Named name(String actor, long clusterId, String gallery, String subject, double threshold, boolean force) {
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
    best.sort(Comparator.comparingDouble(
        (ScanStore.Located l) -> -ClusterService.read(l.sighting().qualityJson()).path("score").asDouble())
        .thenComparingLong(l -> l.sighting().id()));
    best = best.subList(0, Math.min(ClusterService.NAMED_FACES, best.size()));
    List<GalleryService.TemplateFace> enrol = best.stream().map(l -> new GalleryService.TemplateFace(
        l.scan().media().sha256() + "#" + l.sighting().number(), l.sighting().box(), l.sighting().qualityJson(),
        l.sighting().template(), l.sighting().cropPng())).toList();
    List<Long> faceIds = galleries.enrolTemplates(actor, gallery, subject, enrol);
    Long subjectId = store.gallery(gallery).flatMap(g -> store.subject(g.id(), subject)).map(SubjectInfo::id).orElse(null);
    ClusterUndo.EnrolledFaces enrolled = new ClusterUndo.EnrolledFaces(gallery, faceIds, existing.isPresent(), subject, subjectId);
    ClusterUndo undo = ClusterUndo.of(List.of(c), members).withFaces(enrolled);
    Double rounded = agreement == null ? null : Shapes.round4(agreement);
    boolean joined = existing.isPresent();
    // The faces were enrolled (and recorded) in a transaction of their own: undo deletes them. If
    // another reviewer changed the cluster meanwhile (a face removed as "not this person"), the
    // faces chosen from it may not be this person's: they are deleted again and the naming refused.
    Set<Long> chosenFrom = new HashSet<>(members.stream().map(ClusterStore.Member::sightingId).toList());
    try {
      return committed(clusters.transaction(() -> {
        Set<Long> now = new HashSet<>(clusters.members(clusterId).stream().map(ClusterStore.Member::sightingId).toList());
        if (!now.equals(chosenFrom)) {
          throw new ConflictException("cluster " + clusterId + " changed while it was being named (another reviewer's decision): look again");
        }
        if (!subjectExists(gallery, subject)) {
          throw new ConflictException("subject " + subject + " of gallery " + gallery + " was deleted while cluster " + clusterId
              + " was being named: look again");
        }
        clusters.lock(clusterId);
        clusters.updateCluster(clusterId, true, subject, gallery);
        return decided(actor, "name", gallery, id -> new ClusterAnswers.Named(id, clusterId, subject, gallery, joined, rounded, faceIds), undo);
      }));
    } catch (ConflictException | NotFoundException changed) {
      try {
        deleteEnrolled(actor, enrolled);
      } catch (RuntimeException e) {
        changed.addSuppressed(e);
      }
      throw changed;
    }
  }

  /** Merges cluster {@code from} into {@code into} (every face pinned there); refused for clusters a reviewer said differ. */
  public ClusterAnswers.Merged merge(String actor, long from, long into) {
    if (from == into) {
      throw new InvalidInputException("a cluster cannot be merged into itself");
    }
    // Read inside the transaction (under the write lock): a face another reviewer removed from the
    // merged cluster a moment ago is not carried into the other from a stale list of members.
    return committed(clusters.transaction(() -> {
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
      List<Long> fromLinks = clusters.cannotLinks(from);
      ClusterUndo undo = ClusterUndo.of(List.of(a, b), both).withCannot(
          fromLinks.stream().filter(o -> !clusters.cannotLink(into, o)).map(o -> List.of(into, o)).toList(),
          fromLinks.stream().map(o -> List.of(from, o)).toList());
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
      int size = clusters.requireCluster(into).size();
      return decided(actor, "merge", null, id -> new ClusterAnswers.Merged(id, from, into, size), undo);
    }));
  }

  /** Moves the chosen faces of a cluster to a new cluster: two people, never joined again by clustering. */
  public ClusterAnswers.Split split(String actor, long clusterId, List<Long> sightings) {
    return committed(clusters.transaction(() -> { // read under the write lock, as merge does
      ClusterStore.Cluster c = clusters.requireCluster(clusterId);
      List<ClusterStore.Member> members = clusters.members(clusterId);
      Set<Long> in = new HashSet<>();
      members.forEach(x -> in.add(x.sightingId()));
      if (sightings.isEmpty() || !in.containsAll(sightings) || sightings.size() == members.size()) {
        throw new InvalidInputException("name some, not all, of cluster " + clusterId + "'s faces (its sightings: " + in + ")");
      }
      ClusterUndo before = ClusterUndo.of(List.of(c), members);
      long fresh = clusters.newCluster(pack, true);
      for (long s : sightings) {
        clusters.place(s, fresh, true);
      }
      clusters.lock(clusterId);
      clusters.addCannotLink(clusterId, fresh);
      ClusterUndo undo = before.withCreated(List.of(fresh)).withCannot(List.of(List.of(clusterId, fresh)), List.of());
      return decided(actor, "split", null, id -> new ClusterAnswers.Split(id, clusterId, fresh, List.copyOf(sightings)), undo);
    }));
  }

  /** "Not this person": one face leaves the cluster for a cluster of its own that clustering never joins back. */
  public ClusterAnswers.FaceRemoved removeFace(String actor, long clusterId, long sighting) {
    ClusterAnswers.Split s = split(actor, clusterId, List.of(sighting));
    return new ClusterAnswers.FaceRemoved(s.decision(), clusterId, sighting, s.newCluster());
  }

  /** A reviewer says two clusters are different people: never merged, never suggested again. */
  public ClusterAnswers.Rejected reject(String actor, long a, long b) {
    if (a == b) {
      throw new InvalidInputException("a cluster is its own person");
    }
    List<Long> pair = List.of(Math.min(a, b), Math.max(a, b));
    return committed(clusters.transaction(() -> { // read under the write lock, as merge does
      ClusterStore.Cluster ca = clusters.requireCluster(a), cb = clusters.requireCluster(b);
      List<ClusterStore.Member> both = new ArrayList<>(clusters.members(a));
      both.addAll(clusters.members(b));
      ClusterUndo undo = ClusterUndo.of(List.of(ca, cb), both).withCannot(List.of(List.of(a, b)), List.of());
      clusters.addCannotLink(a, b);
      clusters.lock(a);
      clusters.lock(b);
      return decided(actor, "reject", null, id -> new ClusterAnswers.Rejected(id, pair), undo);
    }));
  }

  /** Undoes the latest decision not undone: clusters, placements and cannot-links as they were, enrolled faces deleted. */
  public ClusterAnswers.Undone undo(String actor) {
    return undo(actor, null);
  }

  /**
   * As {@link #undo(String)}, refused ({@link ConflictException}) unless the latest decision is
   * {@code expected} (null: whichever is latest): a reviewer undoing what they did must not undo
   * what another reviewer decided since. The decision is claimed inside the transaction that
   * restores the clusters, so two undos at once never both undo it; the faces a naming enrolled are
   * deleted after that commits.
   */
  public ClusterAnswers.Undone undo(String actor, Long expected) {
    ClusterStore.Decision d = clusters.lastDecision(pack).orElseThrow(() -> new InvalidInputException("no decision to undo"));
    if (expected != null && expected != d.id()) {
      throw new ConflictException("decision " + expected + " is not the latest: decision " + d.id() + " (" + d.action()
          + ") came since; undo that first, or look again");
    }
    ClusterUndo u = ClusterUndo.read(d.id(), d.undoJson());
    ClusterAnswers.Undone m = new ClusterAnswers.Undone(d.id(), d.action(), StoredJson.summaryOf(d.summaryJson()));
    clusters.transaction(() -> {
      long latest = clusters.lastDecision(pack).map(ClusterStore.Decision::id).orElse(-1L);
      if (latest != d.id() || !clusters.undone(d.id())) {
        throw new ConflictException("decision " + d.id() + " was undone, or followed by another decision, a moment ago: look again");
      }
      for (ClusterUndo.ClusterRow c : u.clusters()) {
        clusters.restoreCluster(c.restored(pack, this::subjectExists));
      }
      for (ClusterUndo.MemberRow x : u.members()) {
        if (scans.allExist(new long[] {x.sighting()})) { // a sighting whose scan was deleted since has no place to go back to
          clusters.place(x.sighting(), x.cluster(), x.pinned());
        }
      }
      for (List<Long> pair : u.cannot()) {
        clusters.removeCannotLink(pair.get(0), pair.get(1));
      }
      for (List<Long> pair : u.cannotRestore()) {
        clusters.addCannotLink(pair.get(0), pair.get(1));
      }
      for (long id : u.created()) {
        clusters.deleteCluster(id);
      }
      audit.append(actor, "clusters.undo", null, Map.of("decision", d.id()), Answers.fields(m));
      return null;
    });
    ClusterUndo.EnrolledFaces faces = u.faces();
    if (faces != null) { // enrolled by the naming undone: deleted for real (audited by the gallery service)
      deleteEnrolled(actor, faces);
    }
    changed.run();
    return m;
  }

  /**
   * Deletes for real the faces a naming enrolled, and their subject when the naming created it and
   * it is left empty. A face that fails does not stop the others: every one is tried, then the first
   * failure is thrown (with the rest beside it), so no template is left behind for want of trying.
   */
  private void deleteEnrolled(String actor, ClusterUndo.EnrolledFaces faces) {
    List<RuntimeException> failures = new ArrayList<>();
    // Only faces still under the subject the naming enrolled them in (by id: renamed since or not):
    // one moved by a reviewer since is theirs now, and an id that names another template is not the
    // naming's to delete.
    java.util.Set<Long> stillTheirs = new java.util.HashSet<>();
    store.gallery(faces.gallery()).ifPresent(g -> {
      Long subjectId = faces.subjectId() != null ? faces.subjectId()
          : store.subject(g.id(), faces.subject()).map(SubjectInfo::id).orElse(null);
      for (long id : faces.ids()) {
        store.face(g.id(), id).filter(f -> subjectId != null && f.subjectId() == subjectId).ifPresent(f -> stillTheirs.add(id));
      }
    });
    for (long id : faces.ids()) {
      if (!stillTheirs.contains(id)) {
        continue;
      }
      try {
        galleries.edits().deleteFace(actor, faces.gallery(), id);
      } catch (NotFoundException gone) {
        // deleted since: nothing to undo
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    try {
      if (!faces.subjectExisted() && store.gallery(faces.gallery())
          .flatMap(g -> store.subject(g.id(), faces.subject())).map(x -> x.faces() == 0).orElse(false)) {
        galleries.edits().deleteSubject(actor, faces.gallery(), faces.subject());
      }
    } catch (RuntimeException e) {
      failures.add(e);
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  private boolean subjectExists(String gallery, String subject) {
    return store.gallery(gallery).flatMap(g -> store.subject(g.id(), subject)).isPresent();
  }


  /**
   * Inside the decision's transaction: the decision logged with its summary (the answer without
   * its number) and what undoing it needs, and its audit record (the whole answer, about
   * {@code gallery} when it names one), so a decision is never kept without either. Returns the answer.
   */
  private <T extends Record> T decided(String actor, String action, String gallery, java.util.function.LongFunction<T> answer,
      ClusterUndo undo) {
    Map<String, Object> summary = Answers.fields(answer.apply(0));
    summary.remove("decision");
    T done = answer.apply(clusters.logDecision(pack, actor, action, StoredJson.summary(summary), undo.json()));
    audit.append(actor, "clusters." + action, gallery, Map.of("pack", pack), Answers.fields(done));
    return done;
  }

  /** After a decision committed: the clustering's kept state is stale. */
  private <T> T committed(T answer) {
    changed.run();
    return answer;
  }
}
