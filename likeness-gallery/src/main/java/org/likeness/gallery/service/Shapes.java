package org.likeness.gallery.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.likeness.engine.Face;
import org.likeness.engine.geom.Box;
import org.likeness.engine.geom.Point;
import org.likeness.engine.quality.Quality;
import org.likeness.gallery.match.Candidate;
import org.likeness.gallery.match.Identification;

/** The JSON shapes shared by the CLI and the REST API (ordered maps; the contract other tools parse). */
public final class Shapes {
  private Shapes() {}

  /** What the audit trail keeps of one face's identification: the decided subject's id, the top score, the candidates' ids. */
  public static Map<String, Object> audited(Identification id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subjectId", id.decision() == null ? null : id.decision().subjectId());
    m.put("score", id.candidates().isEmpty() ? null : id.candidates().get(0).score());
    m.put("candidateIds", id.candidates().stream().map(Candidate::subjectId).toList());
    return m;
  }

  /**
   * A 1:1 verdict: {@code {"similarity","match","threshold","fmr"}}, fmr being the measured
   * false-match rate at that similarity (a bound like {@code "<1e-6"} beyond the calibration).
   */
  public record Verdict(double similarity, boolean match, double threshold, Object fmr) {}

  /** A 1:1 verdict. */
  public static Verdict verification(org.likeness.engine.verify.Verification v) {
    return new Verdict(round4(v.similarity()), v.match(), v.threshold(), fmr(v.fmr()));
  }

  /** What an enrolment did: status, face id when stored, reason when rejected (what its audit record keeps). */
  public record EnrollResult(String status, @JsonInclude(JsonInclude.Include.NON_NULL) Long face,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {}

  /** One enrolment's outcome: subject, image (files only), then its result. */
  public record EnrollShown(String subject, @JsonInclude(JsonInclude.Include.NON_NULL) String image,
      @JsonUnwrapped EnrollResult result) {}

  /** One enrolment's outcome. */
  public static EnrollShown enrollOutcome(org.likeness.gallery.enroll.EnrollOutcome o) {
    return new EnrollShown(o.item().subject(), o.item().image() == null ? null : o.item().image().toString(), enrollResult(o));
  }

  /** What an enrolment did. */
  public static EnrollResult enrollResult(org.likeness.gallery.enroll.EnrollOutcome o) {
    return new EnrollResult(o.status().name().toLowerCase(Locale.ROOT), o.faceId() >= 0 ? o.faceId() : null, o.reason());
  }

  /** A face enrolment hygiene flagged: its subject, the face, the photo's sha256, its agreement with the subject's other faces. */
  public record SuspectShown(String subject, long face, String image, Double agreement) {}

  /** The suspects of a gallery and the agreement line they fall below. */
  public record Suspects(String gallery, double threshold, List<SuspectShown> suspects) {}

  /** A flagged face as answers show it. */
  public static SuspectShown suspect(EnrolmentHygiene.Suspect x) {
    return new SuspectShown(x.subject(), x.faceId(), x.imageSha256(), Double.isNaN(x.agreement()) ? null : round4(x.agreement()));
  }

  /** The suspects of {@code gallery} under {@code threshold}. */
  public static Suspects suspects(String gallery, double threshold, List<EnrolmentHygiene.Suspect> found) {
    return new Suspects(gallery, round4(threshold), found.stream().map(Shapes::suspect).toList());
  }

  /** A gallery's subjects as listed. */
  public record SubjectsListed(String gallery, List<SubjectListed> subjects) {}

  /** A subject as listed: name, external id, tags, face count, creation time. */
  public record SubjectListed(String name, String externalId, List<String> tags, int faces, String created) {}

  /** A subject as listed. */
  public static SubjectListed subject(org.likeness.gallery.store.SubjectInfo s) {
    return new SubjectListed(s.name(), s.externalId(), s.tags(), s.faces(), s.created().toString());
  }

  /** A box in image pixels, rounded to 0.01 px. */
  public record BoxShown(double x, double y, double width, double height) {}

  /** A face's quality as answers show it (rounded; {@code reasons} why it did not pass). */
  public record QualityShown(boolean passed, List<String> reasons, double score, double interOcular, double sharpness, double yaw,
      double roll, double outside) {}

  /** The per-face object of {@code detect}: box, score, 5 landmarks, 68 landmarks when asked for, quality. */
  public record Detected(BoxShown box, double score, List<double[]> landmarks,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<double[]> landmarks68, QualityShown quality) {}

  /**
   * A candidate: subject, score, measured FMR at that score ({@link #fmr}), and the enrolled face it
   * matched where the answer says so (review pages and stored decisions), else absent.
   */
  public record CandidateShown(String subject, double score, Object fmr, @JsonInclude(JsonInclude.Include.NON_NULL) Long face) {
    /** This candidate with the enrolled face it matched. */
    public CandidateShown withFace(long faceId) {
      return new CandidateShown(subject, score, fmr, faceId);
    }
  }

  /**
   * The decision of an identification: the subject (null when unknown), the deciding or best score
   * with its FMR, the FPIR at the gallery's size; {@code ambiguous}, {@code carriedFrom} with
   * {@code link}, and {@code smallFace} only when they apply.
   */
  public record DecisionShown(String subject, Double score, Object fmr, Object fpir,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> ambiguous,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer carriedFrom,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double link,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double smallFace) {}

  /**
   * The per-face object of {@code identify}: box (absent for a probe given as an embedding),
   * candidates, decision, and the probe's crop where a review page asked for it.
   */
  public record Identified(@JsonInclude(JsonInclude.Include.NON_NULL) BoxShown box, List<CandidateShown> candidates,
      DecisionShown decision, @JsonInclude(JsonInclude.Include.NON_NULL) String probeCrop) {
    /** The same face with the review page's evidence: the probe crop, and the enrolled face each candidate matched. */
    public Identified withEvidence(String probeCropDataUrl, Identification id) {
      return new Identified(box, candidatesWithFaces(id), decision, probeCropDataUrl);
    }
  }

  public static BoxShown box(Box b) {
    return new BoxShown(round(b.x()), round(b.y()), round(b.width()), round(b.height()));
  }

  public static List<double[]> points(List<Point> pts) {
    List<double[]> out = new ArrayList<>(pts.size());
    for (Point p : pts) {
      out.add(new double[] {round(p.x()), round(p.y())});
    }
    return out;
  }

  public static QualityShown quality(Quality q) {
    return new QualityShown(q.passed(), q.reasons(), round4(q.score()), round(q.interOcular()), round(q.sharpness()), round(q.yaw()),
        round(q.roll()), round4(q.outside()));
  }

  /** The per-face object of {@code detect}. */
  public static Detected face(Face f, boolean all68) {
    return new Detected(box(f.box()), round4(f.score()), points(f.fivePoints()), all68 ? points(f.landmarks().points68()) : null,
        quality(f.quality()));
  }

  /** The per-face object of {@code identify}; {@code f} is null for a probe given as an embedding, which has no box. */
  public static Identified identifiedFace(Face f, Identification id) {
    return new Identified(f == null ? null : box(f.box()), id.candidates().stream().map(Shapes::candidate).toList(), decision(id), null);
  }

  /** The decision object of an identification. */
  public static DecisionShown decision(Identification id) {
    Candidate best = id.decision() != null ? id.decision() : id.candidates().isEmpty() ? null : id.candidates().get(0);
    return new DecisionShown(id.decision() == null ? null : id.decision().subject(), best == null ? null : round4(best.score()),
        best == null ? null : fmr(best.fmr()),
        // the rate at which a stranger scores this high against the whole gallery (its size counted)
        id.fpir() == null ? null : fpir(id.fpir()),
        id.ambiguous().isEmpty() ? null : id.ambiguous().stream().map(Candidate::subject).toList(), // two subjects too close to name either
        // a name carried from a linked track: its score, FMR and FPIR are that track's
        id.carried() == null ? null : id.carried().from(), id.carried() == null ? null : round4(id.carried().link()),
        id.smallFace() == null ? null : id.smallFace().width()); // decided as a small face: mapped template, the small-face calibration's rates
  }

  public static CandidateShown candidate(Candidate c) {
    return new CandidateShown(c.subject(), round4(c.score()), fmr(c.fmr()), null);
  }

  /** The candidates, each with the enrolled face it matched. */
  public static List<CandidateShown> candidatesWithFaces(Identification id) {
    return id.candidates().stream().map(c -> candidate(c).withFace(c.bestFaceId())).toList();
  }

  /** An FPIR estimate to 3 significant digits ({@code "<1e-9"} when it rounds away). */
  public static Object fpir(double v) {
    return v < 1e-9 ? "<1e-9" : Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", v));
  }

  /** A measured FMR: a number to 3 significant digits, a bound such as {@code "<1e-6"} beyond the calibration, null without one. */
  public static Object fmr(org.likeness.engine.verify.Fmr v) {
    return v == null ? null : v.json();
  }

  public static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  public static double round4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
