package org.likeness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.likeness.video.Timecode;

/** The words both renderers print: the summary and each appearance's lines, the same in PDF and HTML. */
final class ReportText {
  private ReportText() {}

  static String title(Evidence e) {
    return "Likeness evidence report: " + e.subject();
  }

  /** The summary's lines. */
  static List<String> summary(Evidence e, String digest) {
    long confirmed = e.appearances().stream().filter(a -> "confirmed".equals(a.verdict())).count();
    long rejected = e.appearances().stream().filter(a -> "rejected".equals(a.verdict())).count();
    long media = e.appearances().stream().map(Evidence.Appearance::sha256).distinct().count();
    long kept = e.enrolled().stream().filter(Evidence.EnrolledFace::cropKept).count();
    List<String> out = new ArrayList<>();
    out.add("Subject " + e.subject() + " of gallery " + e.gallery() + ", pack " + e.pack() + ".");
    out.add(String.format(Locale.ROOT, "%d appearances in %d media: %d confirmed by a reviewer, %d rejected, %d not reviewed.",
        e.appearances().size(), media, confirmed, rejected, e.appearances().size() - confirmed - rejected));
    out.add(e.enrolled().size() + " enrolled faces; " + (kept == 0 ? "no enrolment crop is kept (the gallery keeps none: data "
        + "minimisation), so a match is shown beside no enrolled face" : kept + " with their crop kept for review") + ".");
    out.add("False-match rates (FMR, FPIR) as calibrated: " + (e.calibration() == null ? "the pack has no calibration" : e.calibration())
        + ".");
    out.add("Matches are leads for a person to review, never verdicts on their own.");
    out.add("Issued " + e.issued() + " by " + e.issuedBy() + "; audit chain head " + e.auditHead() + ".");
    out.add("Evidence digest (SHA-256): " + digest + ". Check with: likeness report verify FILE");
    return out;
  }

  /** One appearance's lines. */
  static List<String> appearance(Evidence.Appearance a) {
    List<String> out = new ArrayList<>();
    String when = a.start() == null ? "photo" : Timecode.of(a.start()) + " to " + Timecode.of(a.end()) + " (best frame "
        + Timecode.of(a.bestTime()) + ")";
    out.add(String.format(Locale.ROOT, "Scan %d %s %d: %s", a.scan(), a.kind(), a.number(), when));
    out.add("Media " + a.media());
    out.add("sha256 " + a.sha256());
    out.add(String.format(Locale.ROOT, "Box x %.0f, y %.0f, %.0f x %.0f px", a.box().get(0), a.box().get(1), a.box().get(2),
        a.box().get(3)));
    String decided = a.decided() == null ? "the machine named nobody" : "the machine named " + a.decided()
        + (a.carriedFrom() == null ? "" : " (carried from track " + a.carriedFrom() + ", linked as the same person)");
    out.add(String.format(Locale.ROOT, "Score %s, FMR %s, FPIR %s; %s", a.score() == null ? "n/a" : String.format(Locale.ROOT, "%.4f",
        a.score()), a.fmr() == null ? "n/a" : a.fmr(), a.fpir() == null ? "n/a" : a.fpir(), decided));
    out.add(a.verdict() == null ? "Not reviewed" : "Reviewer: " + a.verdict() + " (" + a.verdictSubject() + ") by " + a.verdictBy()
        + " at " + a.verdictAt());
    return out;
  }

  /** One audit record's line. */
  static String audit(Evidence.AuditRef r) {
    return "#" + r.seq() + " " + r.time() + " " + r.operation() + " " + r.hash();
  }
}
