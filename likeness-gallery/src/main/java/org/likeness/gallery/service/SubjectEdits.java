package org.likeness.gallery.service;

import java.util.Map;
import java.util.function.Consumer;
import org.likeness.gallery.Gallery;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.SubjectInfo;

/**
 * Changes to a gallery's people, for every front end: renaming, merging, moving a face, deleting a
 * subject or a face. Each runs in one transaction with its audit record and the verdicts and
 * cluster names it concerns; then the open index is brought in step (a deletion also checkpointed
 * out of the WAL and its saved graph discarded) and the stored scan decisions it concerns are
 * decided again. Reached through {@link GalleryService#edits()}. Thread-safe.
 */
public final class SubjectEdits {
  private final GalleryStore store;
  private final AuditLog audit;
  private final ScanDecisions decisions;
  private final Consumer<GalleryInfo> changed;

  /** Edits over {@code store}, auditing to {@code audit} (already within the store), re-deciding by {@code decisions}; {@code changed} brings an open gallery in step. */
  SubjectEdits(GalleryStore store, AuditLog audit, ScanDecisions decisions, Consumer<GalleryInfo> changed) {
    this.store = store;
    this.audit = audit;
    this.decisions = decisions;
    this.changed = changed;
  }

  /** Renames a subject. */
  public Answers.SubjectRenamed rename(String actor, String gallery, String from, String to) {
    GalleryInfo g = store.requireGallery(gallery);
    // one transaction: the name, the verdicts and the named clusters move together (a kill leaves none half-renamed)
    SubjectInfo renamed = store.inTransaction(() -> {
      SubjectInfo s = store.renameSubject(g.id(), from, to);
      store.repositories().scans().decisions().renameVerdicts(g.name(), from, to);
      store.repositories().clusters().subjectRenamed(g.name(), from, to);
      audit.append(actor, "rename", g.name(), Map.of("subject", from, "newName", to),
          recorded(new Answers.SubjectRenamed(s.name(), s.externalId(), s.tags(), s.faces(), s.created().toString(), 0)));
      return s;
    });
    changed.accept(g);
    int rewritten = decisions.redecide(new ScanDecisions.Cause(actor, "rename"), g, (sd, template) -> sd.mentions(from)).rewritten();
    return new Answers.SubjectRenamed(renamed.name(), renamed.externalId(), renamed.tags(), renamed.faces(), renamed.created().toString(),
        rewritten);
  }

  /** Moves every face of {@code from} into {@code into}; faces of an image {@code into} already has are deleted for real. */
  public Answers.SubjectsMerged merge(String actor, String gallery, String from, String into) {
    GalleryInfo g = store.requireGallery(gallery);
    GalleryStore.Merged merged = store.inTransaction(() -> {
      GalleryStore.Merged done = store.mergeSubjects(g.id(), from, into);
      store.repositories().scans().decisions().renameVerdicts(g.name(), from, into);
      store.repositories().clusters().subjectRenamed(g.name(), from, into);
      audit.append(actor, "merge", g.name(), Map.of("from", from, "into", into),
          recorded(new Answers.SubjectsMerged(from, into, done.moved(), 0)));
      return done;
    });
    GalleryStore.AfterDelete<ScanDecisions.Redecided, RuntimeException> after = () -> {
      if (merged.duplicatesDeleted() > 0) {
        forgotten(g);
      } else {
        changed.accept(g);
      }
      return decisions.redecide(new ScanDecisions.Cause(actor, "merge"), g, (sd, template) -> {
        return sd.mentions(from) || sd.mentions(into);
      });
    };
    // duplicates deleted for real: the checkpoint comes last, whatever happens before it
    ScanDecisions.Redecided edited = merged.duplicatesDeleted() > 0 ? store.checkpointAfter(after) : after.run();
    return new Answers.SubjectsMerged(from, into, merged.moved(), edited.rewritten());
  }

  /** Moves one face to another subject (created when absent). */
  public Answers.FaceMoved moveFace(String actor, String gallery, long faceId, String to) {
    GalleryInfo g = store.requireGallery(gallery);
    String from = decisions.subjectOfFace(g, faceId);
    Answers.FaceMoved m = store.inTransaction(() -> {
      SubjectInfo s = store.moveFace(g.id(), faceId, to);
      Answers.FaceMoved moved = new Answers.FaceMoved(faceId, s.name(), s.name(), s.externalId(), s.tags(), s.faces(), s.created().toString());
      audit.append(actor, "move", g.name(), Map.of("face", faceId, "to", to), Answers.fields(moved));
      return moved;
    });
    changed.accept(g);
    decisions.redecide(new ScanDecisions.Cause(actor, "move"), g, (sd, template) -> {
      return sd.matchedFace(faceId) || sd.mentions(from) || sd.mentions(m.subject());
    });
    return m;
  }

  /** Deletes a subject and every face of it, for real. */
  public Answers.SubjectDeleted deleteSubject(String actor, String gallery, String name) {
    GalleryInfo g = store.requireGallery(gallery);
    // no record of a match with a deleted person survives: its faces, verdicts and cluster names go
    // in one transaction, and each decision that named it is then what identifying again decides
    // now; no other decision is touched
    int[] counts = store.inTransaction(() -> {
      int faces = store.deleteSubject(g.id(), name);
      int verdicts = store.repositories().scans().decisions().clearVerdictsOn(g.name(), name);
      store.repositories().clusters().subjectRenamed(g.name(), name, null);
      audit.append(actor, "delete.subject", g.name(), Map.of("subject", name), recorded(new Answers.SubjectDeleted(name, faces, 0, verdicts)));
      return new int[] {faces, verdicts};
    });
    ScanDecisions.Redecided edited = store.checkpointAfter(() -> { // last: the rewritten decisions' old pages go too
      forgotten(g);
      return decisions.redecide(new ScanDecisions.Cause(actor, "delete.subject"), g, (sd, template) -> sd.mentions(name));
    });
    return new Answers.SubjectDeleted(name, counts[0], edited.rewritten(), counts[1]);
  }


  /** Deletes one face, for real. */
  public Answers.FaceDeleted deleteFace(String actor, String gallery, long faceId) {
    GalleryInfo g = store.requireGallery(gallery);
    String from = decisions.subjectOfFace(g, faceId);
    Answers.FaceDeleted m = new Answers.FaceDeleted(faceId);
    store.inTransaction(() -> {
      store.deleteFace(g.id(), faceId);
      return audit.append(actor, "delete.face", g.name(), Map.of("face", faceId), Answers.fields(m));
    });
    store.checkpointAfter(() -> {
      forgotten(g);
      return decisions.redecide(new ScanDecisions.Cause(actor, "delete.face"), g, (sd, template) -> {
        return sd.matchedFace(faceId) || sd.mentions(from);
      });
    });
    return m;
  }

  /**
   * The deletion sequence's first part, after the delete has committed (secure_delete zeroed the
   * pages): the saved graph (which holds template vectors) goes, and the open index drops the faces
   * now. The caller checkpoints last ({@link GalleryStore#checkpointAfter}), whatever fails before,
   * so the WAL keeps no copy; a checkpoint kept busy is reported after everything else was done.
   */
  private void forgotten(GalleryInfo g) {
    try {
      Gallery.discardSavedIndex(store, g);
    } finally {
      changed.accept(g);
    }
  }

  /**
   * What a change's audit record holds of its answer: everything but the stored scan decisions it
   * changed, which are decided after the change commits and recorded with their rewrite
   * ({@code decisions.redecide}).
   */
  private static Map<String, Object> recorded(Record answer) {
    Map<String, Object> m = Answers.fields(answer);
    m.remove("scanDecisionsChanged");
    return m;
  }

}
