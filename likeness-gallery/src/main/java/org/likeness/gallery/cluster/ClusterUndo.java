package org.likeness.gallery.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.StoreException;

/**
 * What undoing a cluster decision needs, as the decision log keeps it: stored JSON with its format
 * version {@code "v"} (records written before versions are 1; a newer one is refused, not misread).
 *
 * @param clusters the rows of the clusters the decision changed, as they were
 * @param members those clusters' placements, as they were
 * @param created clusters the decision made (undo deletes them)
 * @param cannot cannot-link pairs the decision added (undo removes them)
 * @param cannotRestore cannot-link pairs the decision removed (undo adds them back)
 * @param faces the faces a naming enrolled (undo deletes them), or null
 * @param v the format version
 */
record ClusterUndo(List<ClusterRow> clusters, List<MemberRow> members, List<Long> created, List<List<Long>> cannot,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<List<Long>> cannotRestore,
    @JsonInclude(JsonInclude.Include.NON_NULL) EnrolledFaces faces, Integer v) {
  /** The format this program writes. */
  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  ClusterUndo {
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
    members = members == null ? List.of() : List.copyOf(members);
    created = created == null ? List.of() : List.copyOf(created);
    cannot = cannot == null ? List.of() : List.copyOf(cannot);
    cannotRestore = cannotRestore == null ? List.of() : List.copyOf(cannotRestore);
    v = v == null ? 1 : v;
  }

  /** A cluster's row: what restoring it sets. */
  record ClusterRow(long id, boolean locked, String subject, String gallery, String created) {
    ClusterStore.Cluster restored(String pack) {
      return new ClusterStore.Cluster(id, pack, locked, subject, gallery, 0, Instant.parse(created), Instant.now());
    }

    /** As {@link #restored(String)}, unnamed when its subject no longer exists: an undo never names a cluster after someone deleted. */
    ClusterStore.Cluster restored(String pack, java.util.function.BiPredicate<String, String> subjectExists) {
      boolean named = subject != null && gallery != null && subjectExists.test(gallery, subject);
      return new ClusterStore.Cluster(id, pack, locked, named ? subject : null, named ? gallery : null, 0, Instant.parse(created),
          Instant.now());
    }
  }

  /** A sighting's place in a cluster. */
  record MemberRow(long sighting, long cluster, boolean pinned) {}

  /**
   * Faces enrolled by naming a cluster, and whether their subject existed before (else undo deletes it
   * too, if left empty); {@code subjectId} names the subject whatever it is called since (null in
   * decisions logged before it was recorded: the name then).
   */
  record EnrolledFaces(String gallery, List<Long> ids, boolean subjectExisted, String subject, Long subjectId) {}

  /** The clusters and placements as they are now, nothing else yet. */
  static ClusterUndo of(List<ClusterStore.Cluster> cs, List<ClusterStore.Member> members) {
    return new ClusterUndo(
        cs.stream().map(c -> new ClusterRow(c.id(), c.locked(), c.subject(), c.gallery(), c.created().toString())).toList(),
        members.stream().map(x -> new MemberRow(x.sightingId(), x.clusterId(), x.pinned())).toList(), List.of(), List.of(), List.of(),
        null, VERSION);
  }

  /** With the clusters the decision made. */
  ClusterUndo withCreated(List<Long> ids) {
    return new ClusterUndo(clusters, members, ids, cannot, cannotRestore, faces, v);
  }

  /** With the cannot-link pairs the decision added and those it removed. */
  ClusterUndo withCannot(List<List<Long>> added, List<List<Long>> removed) {
    return new ClusterUndo(clusters, members, created, added, removed, faces, v);
  }

  /** With the faces a naming enrolled. */
  ClusterUndo withFaces(EnrolledFaces enrolled) {
    return new ClusterUndo(clusters, members, created, cannot, cannotRestore, enrolled, v);
  }

  /** As the decision log stores it. */
  String json() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The undo record of decision {@code decision} as logged; refused when a newer program wrote it. */
  static ClusterUndo read(long decision, String json) {
    ClusterUndo u;
    try {
      u = JSON.readValue(json, ClusterUndo.class);
    } catch (JsonProcessingException e) {
      throw new StoreException("the undo record of decision " + decision + " is not readable: " + e.getOriginalMessage(), e);
    }
    if (u.v() > VERSION) {
      throw new InvalidInputException("decision " + decision + " was logged by a newer program (undo format " + u.v()
          + "); undo it with that program");
    }
    return u;
  }
}
