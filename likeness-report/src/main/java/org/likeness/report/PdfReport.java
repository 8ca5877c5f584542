package org.likeness.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * An evidence report as PDF (Apache PDFBox): A4 pages of text and the faces side by side; the
 * evidence's canonical JSON (base64) and digest in the document information, where
 * {@code report verify} reads them back.
 */
final class PdfReport {
  /** The document information keys that carry the evidence and its digest. */
  static final String EVIDENCE = "LikenessEvidence", DIGEST = "LikenessDigest";
  private static final float MARGIN = 40, FACE = 72, LINE = 11;

  private PdfReport() {}

  static byte[] render(Evidence e, String json, String digest, Map<String, byte[]> crops) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setTitle(ReportText.title(e));
      info.setCreator("Likeness");
      info.setCustomMetadataValue(EVIDENCE, Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
      info.setCustomMetadataValue(DIGEST, digest);
      Writer w = new Writer(doc);
      w.text(ReportText.title(e), 15, true);
      w.gap(4);
      for (String line : ReportText.summary(e, digest)) {
        w.wrapped(line, 9);
      }
      w.gap(8);
      w.text("Appearances", 12, true);
      String media = null;
      for (Evidence.Appearance a : e.appearances()) {
        if (!a.sha256().equals(media)) {
          media = a.sha256();
          w.gap(4);
          w.wrapped(a.media(), 10);
        }
        byte[] enrolled = a.matchedFace() == null ? null : crops.get(EvidenceCollector.faceKey(a.matchedFace()));
        w.appearance(crops.get(EvidenceCollector.sightingKey(a.scan(), a.number())), enrolled, ReportText.appearance(a));
      }
      w.gap(8);
      w.text("Audit records these rest on", 12, true);
      for (Evidence.AuditRef r : e.audit()) {
        w.wrapped(ReportText.audit(r), 7);
      }
      w.close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  /** The embedded evidence JSON and digest of a PDF report. */
  static String[] extract(byte[] pdf) throws ReportException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      PDDocumentInformation info = doc.getDocumentInformation();
      String evidence = info.getCustomMetadataValue(EVIDENCE), digest = info.getCustomMetadataValue(DIGEST);
      if (evidence == null || digest == null) {
        throw new ReportException("not a Likeness report: the PDF carries no evidence");
      }
      return new String[] {new String(Base64.getDecoder().decode(evidence), StandardCharsets.UTF_8), digest};
    } catch (IOException x) {
      throw new ReportException("the PDF cannot be read: " + x.getMessage());
    } catch (IllegalArgumentException x) {
      throw new ReportException("the report's evidence is damaged (not base64)");
    }
  }

  /** Lays text and images down the pages, starting a page when the current one is full. */
  private static final class Writer {
    private final PDDocument doc;
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private PDPageContentStream cs;
    private float y;

    Writer(PDDocument doc) throws IOException {
      this.doc = doc;
      page();
    }

    private void page() throws IOException {
      if (cs != null) {
        cs.close();
      }
      PDPage p = new PDPage(PDRectangle.A4);
      doc.addPage(p);
      cs = new PDPageContentStream(doc, p);
      y = PDRectangle.A4.getHeight() - MARGIN;
    }

    private void room(float h) throws IOException {
      if (y - h < MARGIN) {
        page();
      }
    }

    void gap(float h) {
      y -= h;
    }

    void text(String s, float size, boolean strong) throws IOException {
      room(size + 3);
      y -= size + 3;
      line(MARGIN, y, s, size, strong);
    }

    void wrapped(String s, float size) throws IOException {
      float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
      for (String part : wrap(safe(s), size, width)) {
        text(part, size, false);
      }
    }

    void appearance(byte[] face, byte[] enrolled, List<String> lines) throws IOException {
      float h = Math.max(FACE, lines.size() * LINE) + 8;
      room(h);
      float top = y - 4;
      image(face, MARGIN, top - FACE, "no crop");
      image(enrolled, MARGIN + FACE + 6, top - FACE, "no enrolled crop kept");
      float ty = top;
      for (String l : lines) {
        ty -= LINE;
        line(MARGIN + 2 * FACE + 16, ty, l, 8, false);
      }
      y -= h;
    }

    private void image(byte[] png, float x, float yy, String none) throws IOException {
      if (png != null) {
        PDImageXObject img = PDImageXObject.createFromByteArray(doc, png, "crop");
        cs.drawImage(img, x, yy, FACE, FACE);
        return;
      }
      cs.addRect(x, yy, FACE, FACE);
      cs.stroke();
      String[] words = none.split(" ");
      float ly = yy + FACE / 2 + 8;
      for (int i = 0; i < words.length; i += 2) {
        line(x + 4, ly, words[i] + (i + 1 < words.length ? " " + words[i + 1] : ""), 7, false);
        ly -= 9;
      }
    }

    private void line(float x, float yy, String s, float size, boolean strong) throws IOException {
      cs.beginText();
      cs.setFont(strong ? bold : regular, size);
      cs.newLineAtOffset(x, yy);
      cs.showText(safe(s));
      cs.endText();
    }

    private List<String> wrap(String s, float size, float width) throws IOException {
      List<String> out = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      for (String word : s.split(" ")) {
        String next = cur.isEmpty() ? word : cur + " " + word;
        if (!cur.isEmpty() && regular.getStringWidth(next) / 1000 * size > width) {
          out.add(cur.toString());
          cur = new StringBuilder(word);
        } else {
          cur = new StringBuilder(next);
        }
      }
      out.add(cur.toString());
      return out;
    }

    void close() throws IOException {
      cs.close();
    }
  }

  /** The standard fonts encode Latin-1 (WinAnsi): other characters print as '?' (names stay exact in the embedded evidence). */
  static String safe(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) ? c : '?');
    }
    return b.toString();
  }
}
