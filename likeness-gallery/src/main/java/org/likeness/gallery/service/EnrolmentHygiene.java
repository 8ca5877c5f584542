package org.likeness.gallery.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.likeness.engine.verify.Verifier;
import org.likeness.gallery.enroll.Agreement;
import org.likeness.gallery.store.FaceReviews;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.StoredFace;
import org.likeness.gallery.store.SubjectInfo;

/**
 * Enrolment hygiene over the store: after faces are enrolled, each touched subject's faces are
 * scored for agreement with the rest ({@link Agreement}); faces that disagree become suspects and
 * leave the searches (and so every decision) until a person confirms them; a suspect that the
 * subject's newer faces now agree with is cleared. A confirmed face is never flagged again.
 * Measured on LFW with a tenth of the enrolled photos swapped for other people's: docs/BENCHMARKS.md
 * ("Enrolment hygiene").
 */
public final class EnrolmentHygiene {
  private final GalleryStore store;
  private final Function<String, Verifier> scales;
  private final Runnable betweenReadAndWrite;

  EnrolmentHygiene(GalleryStore store, Function<String, Verifier> scales) {
    this(store, scales, () -> { });
  }

  /** As above; {@code betweenReadAndWrite} runs after a check's scoring, before its writes (tests put a reviewer there). */
  EnrolmentHygiene(GalleryStore store, Function<String, Verifier> scales, Runnable betweenReadAndWrite) {
    this.store = store;
    this.scales = scales;
    this.betweenReadAndWrite = betweenReadAndWrite;
  }

  /** A face that disagrees with the rest of its subject: its median similarity to them, below the line. */
  public record Suspect(String subject, long faceId, String imageSha256, double agreement) {}

  /** What a check changed: faces flagged and cleared, the subjects concerned, and the templates of the cleared faces. */
  record Checked(List<Suspect> suspects, Set<Long> flagged, Set<Long> cleared, Set<String> subjects, List<float[]> clearedTemplates) {}

  /** The similarity a face's median agreement must reach, on the gallery's pack's scale. */
  double threshold(GalleryInfo g) {
    Verifier scale = scales == null ? null : scales.apply(g.packId());
    if (scale == null) {
      throw new IllegalStateException("enrolment hygiene needs the pack's calibration, and the service was opened without it");
    }
    return scale.calibration() == null ? scale.threshold() : scale.calibration().thresholdFor(GalleryService.HYGIENE_FMR);
  }

  /** The faces of {@code g} flagged as suspects now, with their agreement (nothing is written). */
  List<Suspect> suspects(GalleryInfo g) {
    double threshold = threshold(g);
    List<Suspect> out = new ArrayList<>();
    for (SubjectInfo s : store.subjects(g.id())) {
      Map<Long, String> reviews = store.reviews().of(s.id());
      if (!reviews.containsValue(FaceReviews.SUSPECT)) {
        continue;
      }
      List<StoredFace> faces = store.facesOf(s.id());
      List<Agreement.Scored> scored = Agreement.score(faces.stream().map(StoredFace::id).toList(),
          faces.stream().map(StoredFace::template).toList(), threshold);
      for (int i = 0; i < faces.size(); i++) {
        if (FaceReviews.SUSPECT.equals(reviews.get(faces.get(i).id()))) {
          out.add(new Suspect(s.name(), faces.get(i).id(), faces.get(i).imageSha256(), scored.get(i).agreement()));
        }
      }
    }
    return out;
  }

  /**
   * Scores the faces of these subjects of {@code g} and stores the reviews that changed, in one
   * transaction with what {@code record} writes (the audit record of the check). Scoring reads the
   * reviews before that transaction, so each review is changed only if it still is what was read:
   * a face a person confirmed, or that was deleted, in between is left as the person left it.
   */
  Checked check(GalleryInfo g, List<SubjectInfo> subjects, java.util.function.Consumer<Checked> record) {
    double threshold = threshold(g);
    List<Suspect> suspects = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    for (SubjectInfo s : subjects) {
      List<StoredFace> faces = store.facesOf(s.id());
      Map<Long, String> reviews = store.reviews().of(s.id());
      List<Agreement.Scored> scored = Agreement.score(faces.stream().map(StoredFace::id).toList(),
          faces.stream().map(StoredFace::template).toList(), threshold);
      for (int i = 0; i < faces.size(); i++) {
        StoredFace f = faces.get(i);
        Agreement.Scored a = scored.get(i);
        String review = reviews.get(f.id());
        if (FaceReviews.CONFIRMED.equals(review)) {
          continue;
        }
        if (a.suspect()) {
          suspects.add(new Suspect(s.name(), f.id(), f.imageSha256(), a.agreement()));
          if (!FaceReviews.SUSPECT.equals(review)) {
            changes.add(new Change(s.name(), f, review, FaceReviews.SUSPECT));
          }
        } else if (FaceReviews.SUSPECT.equals(review)) {
          changes.add(new Change(s.name(), f, review, null));
        }
      }
    }
    betweenReadAndWrite.run();
    return store.inTransaction(() -> {
      Set<Long> flagged = new HashSet<>();
      Set<Long> cleared = new HashSet<>();
      Set<String> touched = new HashSet<>();
      List<float[]> clearedTemplates = new ArrayList<>();
      Set<Long> changedElsewhere = new HashSet<>();
      for (Change c : changes) {
        if (!store.reviews().setIf(g.id(), c.face().id(), c.was(), c.becomes())) {
          changedElsewhere.add(c.face().id()); // reviewed or deleted since it was read
          continue;
        }
        touched.add(c.subject());
        if (c.becomes() == null) {
          cleared.add(c.face().id());
          clearedTemplates.add(c.face().template());
        } else {
          flagged.add(c.face().id());
        }
      }
      List<Suspect> still = suspects.stream().filter(x -> !changedElsewhere.contains(x.faceId())).toList();
      Checked checked = new Checked(still, flagged, cleared, touched, clearedTemplates);
      record.accept(checked);
      return checked;
    });
  }

  /** A review the check would change: the face's subject, the face, its review as read, and the new one. */
  private record Change(String subject, StoredFace face, String was, String becomes) {}
}
