package org.likeness.server.routes;

import io.javalin.http.Context;
import java.util.List;
import org.likeness.report.EvidenceCollector;
import org.likeness.report.ReportException;
import org.likeness.report.ReportService;
import org.likeness.server.auth.ApiKey;
import org.likeness.server.auth.ApiKeyAuthenticator;
import org.likeness.server.auth.Role;
import org.likeness.server.http.Problem;
import org.likeness.server.http.RequestReader;
import org.likeness.server.http.Route;

/**
 * A person across all media: a subject's appearances in its gallery's scans (what the person page
 * shows), evidence reports on it (PDF or HTML, audited), and their verification.
 */
public final class PeopleRoutes {
  private final ReportService reports;
  private final EvidenceCollector evidence;
  private final RequestReader reader;

  public PeopleRoutes(ReportService reports, EvidenceCollector evidence, RequestReader reader) {
    this.reports = reports;
    this.evidence = evidence;
    this.reader = reader;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/v1/galleries/{gallery}/subjects/{subject}/appearances", Role.READ,
            ctx -> ctx.json(evidence.appearances(ctx.pathParam("gallery"), ctx.pathParam("subject")))),
        new Route("GET", "/v1/clusters/{cluster}/appearances", Role.READ, this::clusterAppearances),
        new Route("GET", "/v1/galleries/{gallery}/subjects/{subject}/report", Role.READ, this::issue),
        new Route("POST", "/v1/reports/verify", Role.READ, this::verify));
  }

  /** An unknown person across all media: unknown faces span every gallery's scans, so only an unlimited key reads them. */
  private void clusterAppearances(Context ctx) {
    ApiKey key = ApiKeyAuthenticator.key(ctx);
    if (key != null && key.gallery() != null) {
      throw new Problem(403, "Forbidden", "unknown faces span every scan: this needs a key not limited to one gallery");
    }
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("cluster"));
    } catch (NumberFormatException e) {
      throw new Problem(400, "Bad cluster id", "a cluster id is a number");
    }
    ctx.json(evidence.clusterAppearances(id));
  }

  private void issue(Context ctx) throws Exception {
    String format = ctx.queryParam("format") == null ? "pdf" : ctx.queryParam("format");
    ReportService.Format f = switch (format) {
      case "pdf" -> ReportService.Format.PDF;
      case "html" -> ReportService.Format.HTML;
      default -> throw new Problem(400, "Unknown format", "format is pdf or html, not " + format);
    };
    String subject = ctx.pathParam("subject");
    ReportService.Issued issued = reports.issue(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), subject, f);
    String name = subject.replaceAll("[^A-Za-z0-9._-]", "_") + "-report." + format;
    ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    ctx.header("X-Likeness-Digest", issued.digest());
    ctx.contentType(f.contentType()).result(issued.bytes());
  }

  private void verify(Context ctx) throws Exception {
    RequestReader.Upload up = reader.upload(ctx, "report");
    ReportService.Verified v;
    try {
      v = reports.verify(up.bytes());
    } catch (ReportException e) {
      throw new Problem(422, "Not a verifiable report", e.getMessage());
    }
    ApiKey key = ApiKeyAuthenticator.key(ctx);
    if (key != null && key.gallery() != null && !key.gallery().equals(v.gallery())) {
      throw new Problem(403, "Forbidden", "this key is limited to gallery " + key.gallery());
    }
    ctx.json(v);
  }
}
