package org.likeness.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.likeness.gallery.io.WholeFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.audit.AuditRecord;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.NotFoundException;

/**
 * Issues evidence reports and verifies them. Issuing is an audit record holding the evidence's
 * digest and the SHA-256 of the report's bytes; verifying proves a file is one this installation
 * issued, unchanged (its bytes' hash is in the audit trail, its evidence matches its digest, the
 * chain holds the head it names), and says what the store says differently now.
 */
public final class ReportService {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GalleryStore store;
  private final AuditLog audit;
  private final EvidenceCollector collector;
  private final Function<String, String> calibrationSource;

  /**
   * @param calibrationSource what a pack's false-match rates were measured on, by pack id (null when it has none)
   */
  public ReportService(GalleryStore store, AuditLog audit, Function<String, String> calibrationSource) {
    this.store = store;
    this.audit = audit;
    this.collector = new EvidenceCollector(store, audit);
    this.calibrationSource = calibrationSource;
  }

  /** A report's format. */
  public enum Format {
    PDF("application/pdf"), HTML("text/html; charset=utf-8");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    /** The HTTP content type. */
    public String contentType() {
      return contentType;
    }

    /** The format a file name asks for ({@code .pdf}, {@code .html} or {@code .htm}). */
    public static Format of(Path file) {
      String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (n.endsWith(".pdf")) {
        return PDF;
      }
      if (n.endsWith(".html") || n.endsWith(".htm")) {
        return HTML;
      }
      throw new IllegalArgumentException(file + ": a report is FILE.pdf or FILE.html");
    }
  }

  /** A report issued: its bytes, the evidence digest, the hash of the bytes, how many appearances, and its audit record. */
  public record Issued(byte[] bytes, Format format, String digest, String fileSha256, int appearances, long auditSeq) {}

  /** Issues a report on {@code subject} of {@code gallery}; audited. */
  public Issued issue(String actor, String gallery, String subject, Format format) throws IOException {
    AuditLog.Verification chain = audit.verify();
    if (!chain.intact()) {
      throw new IllegalStateException("the audit trail does not verify (record " + chain.firstBad() + ": " + chain.problem()
          + "): a report resting on it would prove nothing");
    }
    String pack = store.requireGallery(gallery).packId();
    EvidenceCollector.Collected c = collector.collect(gallery, subject, calibrationSource.apply(pack), Instant.now().toString(), actor,
        chain.headHash());
    Evidence e = c.evidence();
    String json = EvidenceCodec.json(e);
    String digest = EvidenceCodec.digest(json);
    byte[] bytes = format == Format.PDF ? PdfReport.render(e, json, digest, c.crops()) : HtmlReport.render(e, json, digest, c.crops());
    String fileSha = EvidenceCodec.sha256(bytes);
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("subject", subject);
    in.put("format", format.name().toLowerCase(Locale.ROOT));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("digest", digest);
    out.put("fileSha256", fileSha);
    out.put("appearances", e.appearances().size());
    AuditRecord r = audit.append(actor, "report.issue", gallery, in, out);
    return new Issued(bytes, format, digest, fileSha, e.appearances().size(), r.seq());
  }

  /** Issues a report into {@code file} (format by its extension), written whole or not at all. */
  public Issued issue(String actor, String gallery, String subject, Path file) throws IOException {
    Issued issued = issue(actor, gallery, subject, Format.of(file));
    return WholeFile.write(file, tmp -> {
      Files.write(tmp, issued.bytes());
      return issued;
    });
  }

  /**
   * What verifying a report found, in the shape both front ends answer: {@code {"ok","subject","gallery","digest","issued","problems"}}.
   *
   * @param ok whether the report holds: no problem
   * @param problems empty when the report is intact, was issued here, and still matches the store; else why not, for a person
   */
  public record Verified(boolean ok, String subject, String gallery, String digest, String issued, List<String> problems) {
    /** The verification with these problems; it holds when there are none. */
    static Verified of(String subject, String gallery, String digest, String issued, List<String> problems) {
      return new Verified(problems.isEmpty(), subject, gallery, digest, issued, List.copyOf(problems));
    }
  }

  /** Verifies a report's bytes against its digest, the audit trail and the store. */
  public Verified verify(byte[] report) throws ReportException {
    boolean pdf = report.length >= 4 && new String(report, 0, 4, StandardCharsets.ISO_8859_1).equals("%PDF");
    String[] embedded = pdf ? PdfReport.extract(report) : HtmlReport.extract(report);
    String json = embedded[0], digest = embedded[1];
    Evidence e = EvidenceCodec.read(json);
    List<String> problems = new ArrayList<>();
    if (!EvidenceCodec.digest(json).equals(digest) || !EvidenceCodec.json(e).equals(json)) {
      problems.add("altered: the evidence in the report does not match its digest");
    }
    String fileSha = EvidenceCodec.sha256(report);
    boolean issuedHere = false, headFound = false;
    List<AuditRecord> deletions = new ArrayList<>();
    List<AuditRecord> all = new ArrayList<>();
    audit.forEach(all::add);
    for (AuditRecord r : all) {
      if (r.operation().equals("report.issue") && Objects.equals(r.gallery(), e.gallery()) && r.results().contains(fileSha)) {
        issuedHere = true;
      }
      if (r.hash().equals(e.auditHead())) {
        headFound = true;
      }
      if (r.operation().equals("delete.subject") && Objects.equals(r.gallery(), e.gallery()) && names(r.inputs(), e.subject())) {
        deletions.add(r);
      }
    }
    if (!issuedHere) {
      problems.add("altered, or not issued by this installation: no report issued here has this file's SHA-256 (" + fileSha + ")");
    }
    AuditLog.Verification chain = audit.verify();
    if (!chain.intact()) {
      problems.add("the audit trail does not verify (record " + chain.firstBad() + ": " + chain.problem() + ")");
    } else if (!headFound) {
      problems.add("the audit trail holds no record with the head hash the report names (" + e.auditHead() + ")");
    }
    try {
      Evidence now = collector.collect(e.gallery(), e.subject(), e.calibration(), e.issued(), e.issuedBy(), e.auditHead()).evidence();
      problems.addAll(differences(e, now));
    } catch (NotFoundException x) {
      String when = deletions.isEmpty() ? "" : " (audit record #" + deletions.getLast().seq() + ", " + deletions.getLast().operation()
          + " by " + deletions.getLast().keyId() + " at " + deletions.getLast().time() + ")";
      problems.add("the store no longer matches: " + x.getMessage() + "; the subject was deleted since the report was issued" + when);
    }
    return Verified.of(e.subject(), e.gallery(), digest, e.issued(), problems);
  }

  /** What the store says differently now, appearance by appearance. */
  private static List<String> differences(Evidence was, Evidence now) {
    List<String> out = new ArrayList<>();
    if (!was.enrolled().equals(now.enrolled())) {
      out.add("the store no longer matches: the subject's enrolled faces changed (" + was.enrolled().size() + " then, " + now.enrolled().size()
          + " now)");
    }
    Map<String, Evidence.Appearance> then = new LinkedHashMap<>(), current = new LinkedHashMap<>();
    was.appearances().forEach(a -> then.put(a.scan() + " " + a.kind() + " " + a.number(), a));
    now.appearances().forEach(a -> current.put(a.scan() + " " + a.kind() + " " + a.number(), a));
    for (var t : then.entrySet()) {
      Evidence.Appearance n = current.get(t.getKey());
      if (n == null) {
        out.add("the store no longer matches: scan " + t.getKey() + " is no longer an appearance of " + was.subject());
      } else if (!n.equals(t.getValue())) {
        out.add("the store no longer matches: scan " + t.getKey() + " changed since (" + change(t.getValue(), n) + ")");
      }
    }
    for (String k : current.keySet()) {
      if (!then.containsKey(k)) {
        out.add("the store no longer matches: scan " + k + " is a new appearance of " + was.subject() + " since");
      }
    }
    return out;
  }

  private static String change(Evidence.Appearance a, Evidence.Appearance b) {
    if (!Objects.equals(a.verdict(), b.verdict()) || !Objects.equals(a.verdictBy(), b.verdictBy())) {
      return "verdict " + a.verdict() + " then, " + b.verdict() + " now";
    }
    if (!Objects.equals(a.decided(), b.decided())) {
      return "decision " + a.decided() + " then, " + b.decided() + " now";
    }
    return "its score, rates or crop";
  }

  private static boolean names(String inputsJson, String subject) {
    try {
      return subject.equals(JSON.readTree(inputsJson).path("subject").asText(null));
    } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
      return false;
    }
  }
}
