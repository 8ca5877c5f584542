package org.likeness.gallery.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Unknown-face clusters, their members, cannot-link pairs and the log of reviewers' decisions on them, with what undoes each. */
public interface ClusterStore {
  /** One cluster: whether a reviewer locked it, the subject it was named as, and its size. */
  record Cluster(long id, String packId, boolean locked, String subject, String gallery, int size, Instant created,
      Instant updated) {}

  /** A sighting's place: its cluster, and whether a reviewer put it there (then clustering never moves it). */
  record Member(long sightingId, long clusterId, boolean pinned) {}

  /** An unknown sighting with its template (and the cluster it is in, or 0). */
  record Unknown(long sightingId, long clusterId, boolean pinned, float[] template) {}

  /** A reviewer's decision as logged: what it did, and what undoing it needs (both JSON). */
  record Decision(long id, String packId, Instant time, String actor, String action, String summaryJson, String undoJson,
      Instant undone) {}

  /** Every unknown sighting of this pack's scans with its template and its cluster (0 when unassigned), by id. */
  List<Unknown> unknown(String packId);

  /** Unknown sightings of this pack in no cluster yet (a new scan's faces), with templates, by id. */
  List<Unknown> unplaced(String packId);

  /**
   * A fingerprint of this pack's memberships (count, id sums and a mixed sum): it changes with any
   * face added, removed or moved, so a copy of the memberships kept in memory can tell it is stale.
   */
  record Membership(long count, long sightings, long clusters, long mixed) {}

  /** This pack's membership fingerprint (one pass over its memberships, no templates read). */
  Membership membership(String packId);

  /**
   * Memberships of sightings a subject now claims (a rescan named them): they leave clustering.
   * A face a reviewer placed (pinned) in a cluster they named stays there; in a cluster of unknown
   * people it leaves too, since it is nobody unknown any more: a sighting has one place.
   */
  int releaseClaimed(String packId);

  /**
   * Sightings that are {@code subject}: decided so by a scan against {@code gallery} (and not
   * rejected by a reviewer), or members of a cluster named so. By id.
   */
  List<Long> sightingsNamed(String packId, String gallery, String subject);

  /** This pack's clusters with their sizes, largest first (empty clusters are dropped as they empty). */
  List<Cluster> clusters(String packId);

  /** One cluster. */
  Optional<Cluster> cluster(long id);

  /** One cluster, or a clear {@link NotFoundException}. */
  Cluster requireCluster(long id);

  /** A cluster's members, by sighting id. */
  List<Member> members(long clusterId);

  /** The unknown-faces cluster of each of a scan's sightings that is in one, by sighting number. */
  java.util.Map<Integer, Long> clustersOfScan(long scanId);

  /** Where one sighting is, if anywhere. */
  Optional<Member> member(long sightingId);

  /** The clusters a reviewer said are not {@code clusterId}'s person. */
  List<Long> cannotLinks(long clusterId);

  /** Whether a reviewer said these two clusters are different people. */
  boolean cannotLink(long a, long b);

  /** Runs {@code work} as one transaction over the database (the editing calls below join it). */
  <T> T transaction(java.util.function.Supplier<T> work);

  /**
   * After a subject of {@code gallery} is renamed (or merged into {@code to}): clusters named so
   * follow; with {@code to} null (the subject deleted) they are nobody's again, still reviewed (locked).
   * Returns the clusters changed.
   */
  int subjectRenamed(String gallery, String from, String to);

  /** A new, empty cluster. */
  long newCluster(String packId, boolean locked);

  /** Recreates a cluster row under its old id (undo). */
  void restoreCluster(Cluster c);

  /** Sets a cluster's lock and name. */
  void updateCluster(long id, boolean locked, String subject, String gallery);

  /** Puts a sighting in a cluster (moving it from any other). */
  void place(long sightingId, long clusterId, boolean pinned);

  /** Takes a sighting out of every cluster. */
  void unplace(long sightingId);

  /** Pins every current member of a cluster and locks it (a reviewer acted on it as it stands). */
  void lock(long clusterId);

  /** Deletes a cluster (its memberships go with it). */
  void deleteCluster(long id);

  /** Records that two clusters are different people. */
  void addCannotLink(long a, long b);

  /** Forgets that two clusters are different people (undo). */
  void removeCannotLink(long a, long b);

  /** Drops this pack's clusters that hold no member. */
  int dropEmpty(String packId);

  /**
   * A full re-clustering's result, in one transaction: unpinned memberships and unlocked clusters
   * of the pack go; {@code labels} (sighting id to label) place each sighting: in the locked
   * cluster {@code lockedOf} names for its label, or in a new cluster per label.
   */
  int replace(String packId, Map<Long, Integer> labels, Map<Integer, Long> lockedOf);

  /** Logs a reviewer's decision; returns its id. */
  long logDecision(String packId, String actor, String action, String summaryJson, String undoJson);

  /** The latest decision not yet undone, for this pack. */
  Optional<Decision> lastDecision(String packId);

  /** Every decision of this pack, newest first. */
  List<Decision> decisions(String packId);

  /** Marks a decision undone; false when it already was (another reviewer's undo came first). */
  boolean undone(long decisionId);
}
