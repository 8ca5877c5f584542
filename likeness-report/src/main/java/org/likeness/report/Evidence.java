package org.likeness.report;

import java.util.List;

/**
 * What a report states, version 1: the subject, where it was seen and what each sighting rests on.
 * Its canonical JSON ({@link EvidenceCodec}) is embedded in the report with its SHA-256 digest;
 * {@code report verify} compares it with what the store says now.
 *
 * @param v the format's version
 * @param calibration what the pack's false-match rates were measured on (its calibration's source), or null
 * @param issued when the report was issued (ISO-8601)
 * @param auditHead the hash of the audit chain's last record when the report was issued
 * @param audit the audit records the appearances and the enrolment rest on
 */
public record Evidence(int v, String subject, String gallery, String pack, String calibration, String issued, String issuedBy,
    String auditHead, List<EnrolledFace> enrolled, List<Appearance> appearances, List<AuditRef> audit) {
  /** The format's version. */
  public static final int VERSION = 1;

  public Evidence {
    enrolled = List.copyOf(enrolled);
    appearances = List.copyOf(appearances);
    audit = List.copyOf(audit);
  }

  /** An enrolled face of the subject: its id, the sha256 of the photo it came from, and whether its crop is kept for review. */
  public record EnrolledFace(long face, String imageSha256, boolean cropKept) {}

  /**
   * One appearance: a photo's face or a video's track that the machine named as the subject, or a
   * reviewer said is the subject.
   *
   * @param number the face's or track's number in its scan
   * @param kind {@code face} or {@code track}
   * @param start first seen (seconds; null in a photo)
   * @param box x, y, width, height of the face in the best frame
   * @param decided the subject the machine's decision names (another, or null, when only a verdict names this subject)
   * @param carriedFrom the track the name was carried from (linked as the same person), or null
   * @param matchedFace the enrolled face the best score was against, or null
   * @param cropSha256 the sha256 of the sighting's best-frame crop shown in the report, or null
   */
  public record Appearance(long scan, int number, String kind, String media, String sha256, Double start, Double end, Double bestTime,
      List<Double> box, Double score, String fmr, String fpir, String decided, Integer carriedFrom, Long matchedFace, String verdict,
      String verdictSubject, String verdictBy, String verdictAt, String cropSha256) {}

  /** An audit record by its place in the chain and its hash. */
  public record AuditRef(long seq, String time, String operation, String hash) {}
}
