package org.likeness.gallery.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
  public static Map<String, Object> verification(org.likeness.engine.verify.Verification v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("similarity", round4(v.similarity()));
    m.put("match", v.match());
    m.put("threshold", v.threshold());
    m.put("fmr", fmr(v.fmr()));
    return m;
  }

  /** One enrolment's outcome: subject, image (files only), status, face id when stored, reason when rejected. */
  public static Map<String, Object> enrollOutcome(org.likeness.gallery.enroll.EnrollOutcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", o.item().subject());
    if (o.item().image() != null) {
      m.put("image", o.item().image().toString());
    }
    m.putAll(enrollResult(o));
    return m;
  }

  /** What the audit trail keeps of an enrolment: status, face id when stored, reason when rejected. */
  public static Map<String, Object> enrollResult(org.likeness.gallery.enroll.EnrollOutcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", o.status().name().toLowerCase(Locale.ROOT));
    if (o.faceId() >= 0) {
      m.put("face", o.faceId());
    }
    if (o.reason() != null) {
      m.put("reason", o.reason());
    }
    return m;
  }

  /** A subject: name, external id, tags, face count, creation time. */
  public static Map<String, Object> subject(org.likeness.gallery.store.SubjectInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("externalId", s.externalId());
    m.put("tags", s.tags());
    m.put("faces", s.faces());
    m.put("created", s.created().toString());
    return m;
  }

  public static Map<String, Object> box(Box b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("x", round(b.x()));
    m.put("y", round(b.y()));
    m.put("width", round(b.width()));
    m.put("height", round(b.height()));
    return m;
  }

  public static List<double[]> points(List<Point> pts) {
    List<double[]> out = new ArrayList<>(pts.size());
    for (Point p : pts) {
      out.add(new double[] {round(p.x()), round(p.y())});
    }
    return out;
  }

  public static Map<String, Object> quality(Quality q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("passed", q.passed());
    m.put("reasons", q.reasons());
    m.put("score", round4(q.score()));
    m.put("interOcular", round(q.interOcular()));
    m.put("sharpness", round(q.sharpness()));
    m.put("yaw", round(q.yaw()));
    m.put("roll", round(q.roll()));
    m.put("outside", round4(q.outside()));
    return m;
  }

  /** The per-face object of {@code detect}: box, score, 5 landmarks, quality. */
  public static Map<String, Object> face(Face f, boolean all68) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("box", box(f.box()));
    m.put("score", round4(f.score()));
    m.put("landmarks", points(f.fivePoints()));
    if (all68) {
      m.put("landmarks68", points(f.landmarks().points68()));
    }
    m.put("quality", quality(f.quality()));
    return m;
  }

  /**
   * The per-face object of {@code identify}: box, candidates, decision (subject null when unknown).
   * {@code f} is null for a probe given as an embedding, which has no box.
   */
  public static Map<String, Object> identifiedFace(Face f, Identification id) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (f != null) {
      m.put("box", box(f.box()));
    }
    m.put("candidates", id.candidates().stream().map(Shapes::candidate).toList());
    Map<String, Object> d = new LinkedHashMap<>();
    Candidate best = id.decision() != null ? id.decision() : id.candidates().isEmpty() ? null : id.candidates().get(0);
    d.put("subject", id.decision() == null ? null : id.decision().subject());
    d.put("score", best == null ? null : round4(best.score()));
    d.put("fmr", best == null ? null : fmr(best.fmr()));
    // the rate at which a stranger scores this high against the whole gallery (its size counted)
    d.put("fpir", id.fpir() == null ? null : fpir(id.fpir()));
    if (!id.ambiguous().isEmpty()) { // only then: two subjects too close to name either
      d.put("ambiguous", id.ambiguous().stream().map(Candidate::subject).toList());
    }
    if (id.carried() != null) { // only then: the name is a linked track's (its score, FMR and FPIR), not this probe's
      d.put("carriedFrom", id.carried().from());
      d.put("link", round4(id.carried().link()));
    }
    if (id.smallFace() != null) { // only then: decided as a small face (mapped template; FMR, FPIR and threshold of the small-face calibration)
      d.put("smallFace", id.smallFace());
    }
    m.put("decision", d);
    return m;
  }

  public static Map<String, Object> candidate(Candidate c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", c.subject());
    m.put("score", round4(c.score()));
    m.put("fmr", fmr(c.fmr()));
    return m;
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
