package org.likeness.gallery.service;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.store.FaceReviews;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.NotFoundException;
import org.likeness.gallery.store.StoredFace;
import org.likeness.gallery.store.SubjectInfo;

/**
 * Enrolment hygiene as people use it: {@code subjects check} over a whole gallery, the suspects
 * listed, and a person confirming a suspect face so that it is searched again. Every change is
 * audited, and the stored scan decisions it concerns are decided again.
 */
public final class SuspectFaces {
  private final GalleryStore store;
  private final AuditLog audit;
  private final EnrolmentHygiene hygiene;
  private final ScanDecisions decisions;
  private final Consumer<GalleryInfo> changed;

  SuspectFaces(GalleryStore store, AuditLog audit, EnrolmentHygiene hygiene, ScanDecisions decisions, Consumer<GalleryInfo> changed) {
    this.store = store;
    this.audit = audit;
    this.hygiene = hygiene;
    this.decisions = decisions;
    this.changed = changed;
  }

  /**
   * {@code subjects check}: scores every subject's faces for agreement with the rest, flags the
   * faces that disagree (they leave the searches until confirmed) and clears those that now agree;
   * returns every suspect. Audited.
   */
  public List<EnrolmentHygiene.Suspect> check(String actor, String gallery) {
    GalleryInfo g = store.requireGallery(gallery);
    EnrolmentHygiene.Checked c = hygiene.check(g, store.subjects(g.id()), checked -> audit.append(actor, "subjects.check", g.name(),
        Map.of(), Map.of("suspects", checked.suspects().size(), "flagged", checked.flagged(), "cleared", checked.cleared())));
    changed.accept(g);
    decisions.afterReview(new ScanDecisions.Cause(actor, "subjects.check"), g, c.subjects(), c.flagged(), c.clearedTemplates());
    return c.suspects();
  }

  /** Whether enrolment hygiene holds this face of the gallery as a suspect (one face's review: no scoring). */
  public boolean isSuspect(String gallery, long faceId) {
    GalleryInfo g = store.requireGallery(gallery);
    return store.face(g.id(), faceId).map(f -> FaceReviews.SUSPECT.equals(store.reviews().of(f.subjectId()).get(faceId))).orElse(false);
  }

  /** The faces of a gallery flagged as suspects, with their agreement (read only). */
  public List<EnrolmentHygiene.Suspect> list(String gallery) {
    return hygiene.suspects(store.requireGallery(gallery));
  }

  /** The line a face's agreement must reach in this gallery (similarity on its pack's scale). */
  public double agreementThreshold(String gallery) {
    return hygiene.threshold(store.requireGallery(gallery));
  }

  /** A person confirms a suspect face: it is searched again, and never flagged again. Audited. */
  public Answers.FaceConfirmed confirm(String actor, String gallery, long faceId) {
    GalleryInfo g = store.requireGallery(gallery);
    StoredFace f = store.face(g.id(), faceId).orElseThrow(() -> new NotFoundException("no face " + faceId + " in gallery " + gallery));
    String subject = store.subject(f.subjectId()).map(SubjectInfo::name).orElse("");
    Answers.FaceConfirmed m = new Answers.FaceConfirmed(faceId, subject, "confirmed");
    store.inTransaction(() -> {
      store.reviews().set(g.id(), faceId, FaceReviews.CONFIRMED);
      return audit.append(actor, "face.confirm", g.name(), Map.of("face", faceId), Answers.fields(m));
    });
    changed.accept(g);
    decisions.afterReview(new ScanDecisions.Cause(actor, "face.confirm"), g, Set.of(subject), Set.of(),
        List.of(f.template()));
    return m;
  }
}
