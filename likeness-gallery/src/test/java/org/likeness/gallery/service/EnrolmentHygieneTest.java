package org.likeness.gallery.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
import org.likeness.gallery.store.TestStorage;

/**
 * Enrolment hygiene without models: a subject's faces around one person, and one photo of somebody
 * else filed under the name; the stranger's face is flagged, leaves the searches (that person is
 * no longer named as the subject), and comes back when a person confirms it.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class EnrolmentHygieneTest {
  private static final int DIM = 64;
  private final long seed = Long.getLong("tests.seed", new Random().nextLong());
  private final Random random = new Random(seed);

  private float[] around(float[] centre, double spread) {
    float[] v = new float[DIM];
    double n = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) (centre[i] + random.nextGaussian() * spread / Math.sqrt(DIM));
      n += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  private GalleryService.TemplateFace face(String source, float[] t) {
    return new GalleryService.TemplateFace(source, new Box(0, 0, 100, 100), "{\"score\":0.9}", t, null);
  }

  /** Gallery {@code g} with subject alice: {@code n} faces around her, then one of bob filed under her name (its id returned). */
  private long enrolWithOneStranger(GalleryService galleries, float[] alice, int n, float[] bob) {
    galleries.create("t", "g", "synthetic", DIM);
    List<GalleryService.TemplateFace> faces = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      faces.add(face("alice-" + i, around(alice, 0.4)));
    }
    faces.add(face("bob-filed-as-alice", around(bob, 0.4)));
    return galleries.enrolTemplates("t", "g", "alice", faces).getLast();
  }

  @Test
  void aStrangersPhotoFiledUnderANameIsFlaggedAndKeptOutUntilConfirmed(@TempDir Path home) throws Exception {
    float[] alice = around(new float[DIM], 1);
    float[] bob = around(new float[DIM], 1);
    // the pack's scale: threshold 0.5 (no calibration: hygiene's line is the pack threshold)
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, null, pack -> new Verifier(0.5, null))) {
      long wrong = enrolWithOneStranger(galleries, alice, 5, bob);
      List<EnrolmentHygiene.Suspect> suspects = galleries.suspectFaces().list("g");
      assertThat(suspects).as("seed %d", seed).extracting(EnrolmentHygiene.Suspect::faceId).containsExactly(wrong);
      assertThat(suspects.getFirst().agreement()).isLessThan(0.5);

      // an archive carries the review: the suspect stays out of searches in the imported gallery
      Path archive = home.resolve("g.json");
      galleries.export("t", "g", archive);
      galleries.importArchive("t", archive, "g-copy");
      assertThat(galleries.suspectFaces().list("g-copy")).extracting(EnrolmentHygiene.Suspect::subject).containsExactly("alice");

      MatchPolicy rule = new MatchPolicy(SearchMethod.EXACT, Aggregation.MAX, 0.5, null);
      Identification bobSeen = galleries.searchable("g", "synthetic").identify(around(bob, 0.4), 3, rule);
      assertThat(bobSeen.unknown()).as("bob is not named alice once his photo is a suspect (seed %d)", seed).isTrue();
      Identification aliceSeen = galleries.searchable("g", "synthetic").identify(around(alice, 0.4), 3, rule);
      assertThat(aliceSeen.decision().subject()).isEqualTo("alice");

      galleries.suspectFaces().confirm("t", "g", wrong);
      assertThat(galleries.suspectFaces().list("g")).isEmpty();
      assertThat(galleries.suspectFaces().check("t", "g")).as("a confirmed face is never flagged again").isEmpty();
      Identification bobAgain = galleries.searchable("g", "synthetic").identify(around(bob, 0.4), 3, rule);
      assertThat(bobAgain.decision()).as("confirmed: searched again (seed %d)", seed).isNotNull();
      assertThat(audit.verify().intact()).isTrue();
    }
  }

  @Test
  void twoFacesThatDisagreeAreBothSuspectsAndAThirdDecides(@TempDir Path home) {
    float[] alice = around(new float[DIM], 1);
    float[] bob = around(new float[DIM], 1);
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, null, pack -> new Verifier(0.5, null))) {
      galleries.create("t", "g", "synthetic", DIM);
      long a1 = galleries.enrolTemplates("t", "g", "alice", List.of(face("a1", around(alice, 0.4)))).getFirst();
      assertThat(galleries.suspectFaces().list("g")).as("a lone face is never a suspect").isEmpty();
      long b1 = galleries.enrolTemplates("t", "g", "alice", List.of(face("b1", around(bob, 0.4)))).getFirst();
      assertThat(galleries.suspectFaces().list("g")).extracting(EnrolmentHygiene.Suspect::faceId).containsExactlyInAnyOrder(a1, b1);
      galleries.enrolTemplates("t", "g", "alice", List.of(face("a2", around(alice, 0.4))));
      assertThat(galleries.suspectFaces().list("g")).as("the majority clears alice's first face (seed %d)", seed)
          .extracting(EnrolmentHygiene.Suspect::faceId).containsExactly(b1);
    }
  }

  @Test
  void aReviewMadeWhileACheckScoresIsNotOverwritten(@TempDir Path home) {
    float[] alice = around(new float[DIM], 1);
    float[] bob = around(new float[DIM], 1);
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, null, pack -> new Verifier(0.5, null))) {
      long disputed = enrolWithOneStranger(galleries, alice, 4, bob);
      var g = store.requireGallery("g");
      var subjects = store.subjects(g.id());
      // as a check that scored before this face was flagged would see it: no review yet
      assertThat(store.reviews().setIf(g.id(), disputed, "suspect", null)).isTrue();
      EnrolmentHygiene racing = new EnrolmentHygiene(store, pack -> new Verifier(0.5, null),
          () -> galleries.suspectFaces().confirm("reviewer", "g", disputed)); // a person confirms it meanwhile
      EnrolmentHygiene.Checked c = racing.check(g, subjects, x -> { });
      assertThat(c.flagged()).as("seed %d", seed).isEmpty();
      assertThat(c.suspects()).isEmpty();
      assertThat(store.reviews().of(subjects.getFirst().id())).as("the person's confirmation stands").containsEntry(disputed, "confirmed");
      assertThat(galleries.suspectFaces().list("g")).isEmpty();

      // a face deleted meanwhile is not written either
      long other = galleries.enrolTemplates("t", "g", "alice", List.of(face("bob-again", around(bob, 0.4)))).getFirst();
      assertThat(store.reviews().setIf(g.id(), other, "suspect", null)).isTrue();
      EnrolmentHygiene deleting = new EnrolmentHygiene(store, pack -> new Verifier(0.5, null),
          () -> galleries.edits().deleteFace("reviewer", "g", other));
      assertThat(deleting.check(g, store.subjects(g.id()), x -> { }).flagged()).isEmpty();
      assertThat(audit.verify().intact()).isTrue();
    }
  }
}
