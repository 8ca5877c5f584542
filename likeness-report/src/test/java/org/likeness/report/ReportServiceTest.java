package org.likeness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;
import org.likeness.engine.verify.Verifier;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Candidate;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.gallery.store.TestStorage;

/**
 * Evidence reports over a real store: the PDF's extracted text and rendered page, the HTML, and
 * {@code verify} on an intact report, one changed byte, a changed verdict and a deleted subject.
 * No model: fixed templates and drawn crops.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ReportServiceTest {
  private static final int DIM = 4;
  private static final MatchPolicy RULE = new MatchPolicy(SearchMethod.EXACT, Aggregation.MAX, 0.35, null);
  private static final String SHA = "ab".repeat(32);

  @Test
  void aPdfReportShowsEveryAppearanceAndVerifiesUntilTheStoreChanges(@TempDir Path home) throws Exception {
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, null, pack -> new Verifier(0.35, null))) {
      long face = setUp(store, galleries);
      ScanStore scans = store.repositories().scans();
      ReportService reports = new ReportService(store, audit, pack -> "LFW, every impostor pair");
      Path file = home.resolve("ann.pdf");
      ReportService.Issued issued = reports.issue("analyst", "g", "ann", file);
      assertThat(issued.appearances()).isEqualTo(2);

      try (PDDocument doc = Loader.loadPDF(file.toFile())) {
        String text = new PDFTextStripper().getText(doc);
        assertThat(text).contains("Likeness evidence report: ann", "2 appearances in 1 media: 1 confirmed by a reviewer", "sha256 " + SHA,
            "Score 0.8100, FMR 0.00123", "carried from track 1", "Reviewer: confirmed (ann) by analyst", "report verify",
            issued.digest(), "LFW, every impostor pair", "enroll");
        BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, 72);
        assertThat(countNonWhite(page)).as("the page shows text and faces").isGreaterThan(2000);
        assertThat(hasColour(page, 0xd03030)).as("the face crop is drawn").isTrue();
      }
      assertThat(audit.verify().intact()).isTrue();
      List<String> ops = new ArrayList<>();
      audit.forEach(r -> ops.add(r.operation()));
      assertThat(ops).contains("report.issue");

      byte[] bytes = Files.readAllBytes(file);
      ReportService.Verified ok = reports.verify(bytes);
      assertThat(ok.problems()).isEmpty();
      assertThat(ok.ok()).isTrue();

      byte[] changed = bytes.clone(); // one byte of the binary comment after the header: still a readable PDF
      changed[indexOf(changed, new byte[] {'\n'}) + 2] ^= 1;
      assertThat(reports.verify(changed).problems()).singleElement().asString().startsWith("altered");

      scans.verdict(scanId(scans), 2, "rejected", "ann", "supervisor");
      assertThat(reports.verify(bytes).problems()).singleElement().asString().contains("track 2 changed since", "verdict");

      galleries.edits().deleteSubject("admin", "g", "ann");
      ReportService.Verified gone = reports.verify(bytes);
      assertThat(gone.ok()).isFalse();
      assertThat(gone.problems()).anyMatch(p -> p.contains("deleted since the report was issued") && p.contains("delete.subject by admin"));
      assertThat(face).isPositive();
    }
  }

  @Test
  void anHtmlReportIsSelfContainedAndVerifies(@TempDir Path home) throws Exception {
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, null, pack -> new Verifier(0.35, null))) {
      setUp(store, galleries);
      ReportService reports = new ReportService(store, audit, pack -> null);
      Path file = home.resolve("ann.html");
      reports.issue("analyst", "g", "ann", file);
      String html = Files.readString(file);
      assertThat(html).contains("<img alt=\"the face found\" src=\"data:image/png;base64,", "<img alt=\"enrolled face ")
          .doesNotContain("<script", "http://", "https://");
      assertThat(reports.verify(Files.readAllBytes(file)).ok()).isTrue();
      byte[] changed = Files.readAllBytes(file);
      changed[indexOf(changed, "Appearances".getBytes(StandardCharsets.UTF_8))] = 'a';
      assertThat(reports.verify(changed).ok()).isFalse();
    }
  }

  /** Ann enrolled with a kept crop; a video scan where track 1 is named Ann, track 2 carried from it and confirmed, track 3 someone else. */
  private static long setUp(GalleryStore store, GalleryService galleries) throws Exception {
    galleries.create("admin", "g", "test-pack", DIM);
    float[] ann = {1, 0, 0, 0};
    long face = galleries.enrolTemplates("admin", "g", "ann",
        List.of(new GalleryService.TemplateFace("photo", new Box(0, 0, 10, 10), "{}", ann, png(0x3060d0)))).get(0);
    Candidate named = new Candidate(1, "ann", 0.81, new org.likeness.engine.verify.Fmr(1.23e-3, false), face);
    Identification own = new Identification(List.of(named), named);
    Identification weak = new Identification(List.of(new Candidate(1, "ann", 0.3, null, face)), null);
    Identification carried = weak.carriedFrom(own, 1, 0.7);
    List<StoredSighting.New> rows = List.of(
        new StoredSighting.New(1, 0.0, 2.0, 10, 1.0, new Box(10, 10, 40, 40), "{\"reasons\":[]}", "[]", ann, png(0xd03030),
            StoredDecision.json(own, RULE, 3), 1),
        new StoredSighting.New(2, 5.0, 7.0, 10, 6.0, new Box(100, 10, 20, 20), "{\"reasons\":[]}", "[]", new float[] {0.3f, 0.95f, 0, 0},
            png(0xd03030), StoredDecision.json(carried, RULE, 3), 1),
        new StoredSighting.New(3, 0.0, 7.0, 10, 3.0, new Box(300, 10, 40, 40), "{\"reasons\":[]}", "[]", new float[] {0, 0, 1, 0},
            png(0x30d030), StoredDecision.json(new Identification(List.of(), null), RULE, 3), null));
    ScanStore scans = store.repositories().scans();
    StoredScan s = scans.save(new ScanStore.NewMedia(SHA, "video", "clip.mp4", 100, 8.0, 25.0, 640, 360, null), "test-pack", "g", 5.0,
        40, null, rows).scan();
    scans.verdict(s.id(), 2, "confirmed", "ann", "analyst");
    return face;
  }

  private static long scanId(ScanStore scans) {
    return scans.scans().get(0).id();
  }

  private static byte[] png(int rgb) throws Exception {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static int countNonWhite(BufferedImage img) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        n += (img.getRGB(x, y) & 0xffffff) == 0xffffff ? 0 : 1;
      }
    }
    return n;
  }

  private static boolean hasColour(BufferedImage img, int rgb) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y) & 0xffffff;
        if (Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) < 12 && Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255)) < 12
            && Math.abs((p & 255) - (rgb & 255)) < 12) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
