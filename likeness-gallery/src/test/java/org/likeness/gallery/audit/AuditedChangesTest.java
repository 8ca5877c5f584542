package org.likeness.gallery.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;
import org.likeness.engine.verify.Verifier;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.Database;
import org.likeness.gallery.store.DatabaseState;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredFace;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.gallery.store.SubjectInfo;
import org.likeness.gallery.store.TestStorage;

/**
 * A change and its audit record commit together or not at all: random sequences of the gallery's
 * and the clusters' changes, each with the database refusing audit records about a third of the
 * time. A change whose record was refused must leave every table as it was; one that went through
 * must have left its record; the chain verifies at the end. Replay with {@code -Dtests.seed=N}.
 */
@Tag("database") // run again on PostgreSQL by scripts/test.sh
class AuditedChangesTest {
  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());
  private static final String PACK = "p";
  private static final int DIM = 16;

  private record Op(String name, Runnable run) {}

  @Test
  void aChangeWhoseRecordIsRefusedLeavesNothingAndOneThatIsKeptIsRecorded(@TempDir Path home) throws Exception {
    Random random = new Random(SEED);
    Database db = TestStorage.database(home);
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(db);
        GalleryService galleries = new GalleryService(store, audit, null, pack -> new Verifier(0.35, null));
        ClusterService clusters = new ClusterService(store, galleries, audit, PACK, DIM, ClusterThresholds.DEFAULT)) {
      galleries.create("t", "g", PACK, DIM);
      ScanStore scans = store.repositories().scans();
      ClusterStore cs = store.repositories().clusters();
      float[][] people = new float[6][];
      for (int p = 0; p < people.length; p++) {
        people[p] = unit(random, null, 0);
      }
      for (int m = 0; m < 4; m++) { // unknown faces to cluster
        List<StoredSighting.New> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          rows.add(new StoredSighting.New(i + 1, null, null, 1, null, new Box(10 * i, 0, 50, 50), "{\"score\":0.7}", "[]",
              unit(random, people[random.nextInt(people.length)], 0.3), new byte[] {1, (byte) i}, null));
        }
        scans.save(new ScanStore.NewMedia("media" + m, "photo", "m" + m, 100, null, null, 640, 480, null), PACK, null, null, 1, null,
            rows);
      }
      GalleryInfo g = store.requireGallery("g");
      String[] names = {"ann", "bob", "cy", "dee", "eve"};
      int[] sources = {0};
      List<Op> ops = List.of(
          new Op("enrol", () -> {
            List<GalleryService.TemplateFace> faces = new ArrayList<>();
            for (int i = 1 + random.nextInt(2); i > 0; i--) {
              faces.add(new GalleryService.TemplateFace("src" + sources[0]++, new Box(0, 0, 40, 40), "{}",
                  unit(random, people[random.nextInt(people.length)], 0.3), null));
            }
            galleries.enrolTemplates("t", "g", names[random.nextInt(names.length)], faces);
          }),
          new Op("rename", () -> galleries.edits().rename("t", "g", subject(store, g, random), names[random.nextInt(names.length)])),
          new Op("merge", () -> galleries.edits().merge("t", "g", subject(store, g, random), subject(store, g, random))),
          new Op("move", () -> galleries.edits().moveFace("t", "g", face(store, g, random), names[random.nextInt(names.length)])),
          new Op("delete subject", () -> galleries.edits().deleteSubject("t", "g", subject(store, g, random))),
          new Op("delete face", () -> galleries.edits().deleteFace("t", "g", face(store, g, random))),
          new Op("crops", () -> galleries.keepCrops("t", "g", random.nextBoolean())),
          new Op("confirm", () -> galleries.suspectFaces().confirm("t", "g", face(store, g, random))),
          new Op("check", () -> galleries.suspectFaces().check("t", "g")),
          new Op("create", () -> galleries.create("t", "g" + random.nextInt(3), PACK, DIM)),
          new Op("cluster update", () -> clusters.update("t")),
          new Op("cluster rebuild", () -> clusters.rebuild("t")),
          new Op("cluster split", () -> {
            long c = cluster(cs, random);
            List<ClusterStore.Member> members = cs.members(c);
            clusters.split("t", c, List.of(members.get(random.nextInt(members.size())).sightingId()));
          }),
          new Op("cluster merge", () -> clusters.merge("t", cluster(cs, random), cluster(cs, random))),
          new Op("cluster reject", () -> clusters.reject("t", cluster(cs, random), cluster(cs, random))),
          new Op("cluster name", () -> clusters.name("t", cluster(cs, random), "g", names[random.nextInt(names.length)], 0.35, true)),
          new Op("cluster undo", () -> clusters.undo("t")));
      int refused = 0, kept = 0;
      for (int step = 0; step < 80; step++) {
        Op op = ops.get(random.nextInt(ops.size()));
        boolean refuse = random.nextInt(3) == 0;
        String before = DatabaseState.rows(db);
        long records = DatabaseState.auditRecords(db);
        RuntimeException failed = null;
        try (AutoCloseable refusal = refuse ? DatabaseState.refuseAudit(db) : null) {
          op.run().run();
        } catch (RuntimeException e) {
          failed = e;
        }
        String where = "step " + step + " (" + op.name() + (refuse ? ", records refused" : "") + "), seed " + SEED
            + (failed == null ? "" : ": " + failed);
        if (refuse) {
          assertThat(DatabaseState.rows(db)).as("a change without its record was kept: " + where).isEqualTo(before);
          assertThat(DatabaseState.auditRecords(db)).as(where).isEqualTo(records);
          refused += failed == null ? 0 : 1;
        } else if (failed == null) {
          assertThat(DatabaseState.auditRecords(db)).as("a change kept without a record: " + where).isGreaterThan(records);
          kept++;
        }
      }
      assertThat(refused).as("seed %d", SEED).isPositive();
      assertThat(kept).as("seed %d", SEED).isPositive();
      AuditLog.Verification v = audit.verify();
      assertThat(v.intact()).as(v.problem()).isTrue();
    }
  }

  private static String subject(GalleryStore store, GalleryInfo g, Random random) {
    List<SubjectInfo> all = store.subjects(g.id());
    return all.isEmpty() ? "nobody" : all.get(random.nextInt(all.size())).name();
  }

  private static long face(GalleryStore store, GalleryInfo g, Random random) {
    List<StoredFace> all = new ArrayList<>();
    for (SubjectInfo s : store.subjects(g.id())) {
      all.addAll(store.facesOf(s.id()));
    }
    return all.isEmpty() ? 999_999 : all.get(random.nextInt(all.size())).id();
  }

  private static long cluster(ClusterStore cs, Random random) {
    List<ClusterStore.Cluster> all = cs.clusters(PACK);
    return all.isEmpty() ? 999_999 : all.get(random.nextInt(all.size())).id();
  }

  /** A unit vector: random, or {@code centre} plus Gaussian noise of about {@code sigma} in norm. */
  private static float[] unit(Random random, float[] centre, double sigma) {
    float[] v = new float[DIM];
    double n = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) ((centre == null ? 0 : centre[i]) + random.nextGaussian() * (centre == null ? 1 : sigma / Math.sqrt(DIM)));
      n += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }
}
