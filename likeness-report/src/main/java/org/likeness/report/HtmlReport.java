package org.likeness.report;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * An evidence report as one self-contained HTML file: inline style, images as data URLs, no
 * script; the evidence's canonical JSON (base64) and digest in {@code <meta>} elements.
 */
final class HtmlReport {
  /** The meta element names that carry the evidence and its digest. */
  static final String EVIDENCE = "likeness-evidence", DIGEST = "likeness-digest";

  private HtmlReport() {}

  static byte[] render(Evidence e, String json, String digest, Map<String, byte[]> crops) {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(ReportText.title(e)))
        .append("</title>\n<meta name=\"").append(EVIDENCE).append("\" content=\"")
        .append(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))).append("\">\n<meta name=\"").append(DIGEST)
        .append("\" content=\"").append(digest).append("\">\n<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1b1f27}"
            + ".a{display:flex;gap:12px;border-top:1px solid #ccd;padding:10px 0}.a img,.none{width:96px;height:96px;object-fit:cover}"
            + ".none{background:#eef;font-size:11px;display:flex;align-items:center;text-align:center}.n{color:#5b6475;font-size:12px}"
            + "code{font-size:12px}</style></head><body>\n");
    h.append("<h1>").append(esc(ReportText.title(e))).append("</h1>\n");
    for (String line : ReportText.summary(e, digest)) {
      h.append("<p>").append(esc(line)).append("</p>\n");
    }
    h.append("<h2>Appearances</h2>\n");
    String media = null;
    for (Evidence.Appearance a : e.appearances()) {
      if (!a.sha256().equals(media)) {
        media = a.sha256();
        h.append("<h3>").append(esc(a.media())).append("</h3>\n");
      }
      h.append("<div class=\"a\">").append(image(crops.get(EvidenceCollector.sightingKey(a.scan(), a.number())), "the face found"));
      byte[] enrolled = a.matchedFace() == null ? null : crops.get(EvidenceCollector.faceKey(a.matchedFace()));
      h.append(enrolled != null ? image(enrolled, "enrolled face " + a.matchedFace()) : "<div class=\"none\">no enrolled crop kept</div>");
      h.append("<div>");
      for (String line : ReportText.appearance(a)) {
        h.append(esc(line)).append("<br>");
      }
      h.append("</div></div>\n");
    }
    h.append("<h2>Audit records these rest on</h2>\n<p class=\"n\">");
    for (Evidence.AuditRef r : e.audit()) {
      h.append("<code>").append(esc(ReportText.audit(r))).append("</code><br>\n");
    }
    h.append("</p>\n</body></html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The embedded evidence JSON and digest of an HTML report. */
  static String[] extract(byte[] html) throws ReportException {
    String text = new String(html, StandardCharsets.UTF_8);
    String evidence = meta(text, EVIDENCE), digest = meta(text, DIGEST);
    try {
      return new String[] {new String(Base64.getDecoder().decode(evidence), StandardCharsets.UTF_8), digest};
    } catch (IllegalArgumentException x) {
      throw new ReportException("the report's evidence is damaged (not base64)");
    }
  }

  private static String meta(String text, String name) throws ReportException {
    String open = "<meta name=\"" + name + "\" content=\"";
    int i = text.indexOf(open);
    int j = i < 0 ? -1 : text.indexOf('"', i + open.length());
    if (j < 0) {
      throw new ReportException("not a Likeness report: no " + name + " in it");
    }
    return text.substring(i + open.length(), j);
  }

  private static String image(byte[] png, String alt) {
    return png == null ? "<div class=\"none\">no crop</div>"
        : "<img alt=\"" + esc(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
