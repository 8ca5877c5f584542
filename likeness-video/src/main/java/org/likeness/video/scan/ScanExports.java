package org.likeness.video.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.likeness.gallery.io.WholeFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.ScanShapes;

/** A stored scan written out for people and other tools: JSON with best-frame crops, or CSV; each export audited. */
public final class ScanExports {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ScanStore scans;
  private final AuditLog audit;

  ScanExports(ScanStore scans, AuditLog audit) {
    this.scans = scans;
    this.audit = audit;
  }

  /** Writes a scan with its best-frame crops (PNG, base64) to {@code file} as JSON; audited. Templates are not exported. */
  public void json(String actor, long scanId, Path file) throws IOException {
    StoredScan s = scans.requireScan(scanId);
    ScanShapes.StoredScanShown shaped = ScanShapes.stored(s, scans.sightings(scanId), true);
    WholeFile.write(file, tmp -> {
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), shaped);
      return null;
    });
    audit.append(actor, "scan.export", s.gallery(), Map.of("scan", scanId, "media", s.media().sha256()),
        Map.of("sightings", s.sightings()));
  }

  /**
   * Writes a scan as CSV (RFC 4180), one row per face or track: where and when it was seen, who
   * the machine decided (or why nobody), with score, FMR and threshold, and the reviewer's verdict;
   * no templates, no crops. Audited.
   */
  public void csv(String actor, long scanId, Path file) throws IOException {
    StoredScan s = scans.requireScan(scanId);
    List<StoredSighting> sightings = scans.sightings(scanId);
    com.fasterxml.jackson.dataformat.csv.CsvMapper csv = new com.fasterxml.jackson.dataformat.csv.CsvMapper();
    List<String> columns = List.of("scan", "media", "sha256", "kind", "number", "start", "end", "startTime", "endTime", "boxX", "boxY",
        "boxWidth", "boxHeight", "subject", "score", "fmr", "threshold", "closest", "qualityReasons", "verdict", "verdictSubject",
        "verdictBy", "verdictAt");
    com.fasterxml.jackson.dataformat.csv.CsvSchema.Builder schema = com.fasterxml.jackson.dataformat.csv.CsvSchema.builder();
    columns.forEach(schema::addColumn);
    List<List<Object>> rows = new ArrayList<>();
    for (StoredSighting g : sightings) {
      StoredDecision d = g.decisionJson() == null ? null : StoredDecision.read(g.decisionJson());
      com.fasterxml.jackson.databind.JsonNode decision = d == null ? null : d.node().path("decision");
      com.fasterxml.jackson.databind.JsonNode closest = d == null || d.node().path("candidates").isEmpty() ? null
          : d.node().path("candidates").get(0);
      List<Object> row = new ArrayList<>();
      row.add(s.id());
      row.add(s.media().path());
      row.add(s.media().sha256());
      row.add(s.media().video() ? "track" : "face");
      row.add(g.number());
      row.add(g.start());
      row.add(g.end());
      row.add(g.start() == null ? null : org.likeness.video.Timecode.of(g.start()));
      row.add(g.end() == null ? null : org.likeness.video.Timecode.of(g.end()));
      row.add(Shapes.round(g.box().x()));
      row.add(Shapes.round(g.box().y()));
      row.add(Shapes.round(g.box().width()));
      row.add(Shapes.round(g.box().height()));
      row.add(d == null ? null : d.subject());
      row.add(decision == null || decision.path("score").isNull() ? null : decision.path("score").asDouble());
      row.add(decision == null || decision.path("fmr").isNull() ? null : decision.path("fmr").asText());
      row.add(d == null || !d.node().path("threshold").isNumber() ? null : d.node().path("threshold").asDouble());
      row.add(closest == null ? null : closest.path("subject").asText());
      row.add(String.join("; ", StoredDecision.qualityReasons(g.qualityJson())));
      row.add(g.verdict() == null ? null : g.verdict().verdict());
      row.add(g.verdict() == null ? null : g.verdict().subject());
      row.add(g.verdict() == null ? null : g.verdict().by());
      row.add(g.verdict() == null ? null : g.verdict().at().toString());
      rows.add(row);
    }
    WholeFile.write(file, tmp -> {
      csv.writer(schema.build().withHeader()).writeValues(tmp.toFile()).writeAll(rows).close();
      return null;
    });
    audit.append(actor, "scan.export", s.gallery(), Map.of("scan", scanId, "media", s.media().sha256(), "format", "csv"),
        Map.of("sightings", s.sightings()));
  }
}
