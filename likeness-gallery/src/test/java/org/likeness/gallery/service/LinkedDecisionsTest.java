package org.likeness.gallery.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;
import org.likeness.engine.verify.Verifier;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.gallery.store.TestStorage;

/** Names carried along stored track links follow every change of the gallery's subjects. No model: fixed templates. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class LinkedDecisionsTest {
  private static final int DIM = 8;
  private static final String PACK = "test-pack";
  private static final MatchPolicy RULE = new MatchPolicy(SearchMethod.EXACT, Aggregation.MAX, 0.35, null);

  @Test
  void aNameIsCarriedWhenItsSubjectIsEnrolledAndGoesWithTheSubject(@TempDir Path home) {
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, null, pack -> new Verifier(0.35, null))) {
      galleries.create("t", "g", PACK, DIM);
      float[] ann = axis(0, 1, 0);
      // track 1: Ann clearly; track 2: Ann small (0.3 against her photo, under the 0.35 threshold), linked with 1; track 3: someone else
      float[] close = axis(0, 0.95, 1);
      float[] small = axis(0, 0.3, 2);
      float[] other = axis(3, 1, 4);
      String unknown = StoredDecision.json(new Identification(List.of(), null), RULE, 3);
      List<StoredSighting.New> rows = new ArrayList<>();
      rows.add(track(1, 0, 2, close, unknown, 1));
      rows.add(track(2, 5, 7, small, unknown, 1));
      rows.add(track(3, 0, 7, other, unknown, null));
      ScanStore scans = store.repositories().scans();
      StoredScan s = scans.save(new ScanStore.NewMedia("ab".repeat(32), "video", "clip.mp4", 100, 8.0, 25.0, 640, 360, null), PACK, "g",
          5.0, 40, null, rows).scan();

      galleries.enrolTemplates("t", "g", "ann", List.of(new GalleryService.TemplateFace("photo", new Box(0, 0, 10, 10), "{}", ann, null)));
      List<StoredDecision> after = decisions(scans, s);
      assertThat(after.get(0).subject()).isEqualTo("ann");
      assertThat(after.get(0).carriedFrom()).isNull();
      assertThat(after.get(1).subject()).as("carried along the link").isEqualTo("ann");
      assertThat(after.get(1).carriedFrom()).isEqualTo(1);
      assertThat(after.get(1).node().path("candidates").get(0).path("score").asDouble()).as("its own score stays its own")
          .isEqualTo(0.3, org.assertj.core.data.Offset.offset(1e-3));
      assertThat(after.get(2).subject()).isNull();

      // a reviewer rejects the carrier's name: it is carried no more; withdrawn, it is carried again
      long carrier = scans.sightings(s.id()).get(0).id();
      scans.verdict(s.id(), 1, "rejected", "ann", "reviewer");
      galleries.afterVerdicts("test", "scan.verdict", "g", s.id(), List.of(carrier));
      assertThat(decisions(scans, s).get(1).subject()).as("a rejected name is carried to no other track").isNull();
      assertThat(decisions(scans, s).get(0).subject()).as("the machine's own decision stays, beside the verdict").isEqualTo("ann");
      scans.verdict(s.id(), 1, null, null, "reviewer");
      galleries.afterVerdicts("test", "scan.verdict", "g", s.id(), List.of(carrier));
      assertThat(decisions(scans, s).get(1).carriedFrom()).isEqualTo(1);

      galleries.edits().rename("t", "g", "ann", "anne");
      assertThat(decisions(scans, s).get(1).subject()).isEqualTo("anne");
      assertThat(decisions(scans, s).get(1).carriedFrom()).isEqualTo(1);

      galleries.edits().deleteSubject("t", "g", "anne");
      assertThat(decisions(scans, s)).allMatch(d -> d.subject() == null && d.carriedFrom() == null);
    }
  }

  private static List<StoredDecision> decisions(ScanStore scans, StoredScan s) {
    return scans.sightings(s.id()).stream().map(g -> StoredDecision.read(g.decisionJson())).toList();
  }

  private static StoredSighting.New track(int number, double start, double end, float[] template, String decision, Integer link) {
    return new StoredSighting.New(number, start, end, 10, start, new Box(10, 10, 40, 40), "{\"reasons\":[]}", "[]", template, null,
        decision, link);
  }

  /** A unit vector {@code cos} along axis {@code a}, the rest along axis {@code b}. */
  private static float[] axis(int a, double cos, int b) {
    float[] v = new float[DIM];
    v[a] = (float) cos;
    v[b] += (float) Math.sqrt(Math.max(0, 1 - cos * cos));
    return v;
  }
}
