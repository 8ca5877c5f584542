package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;
import org.likeness.gallery.io.GalleryArchive;
import org.likeness.gallery.testing.RandomTemplates;

/** The system of record without a model: typed failures, the change counter, id reuse, atomic steps, migrations. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class GalleryStoreTest {
  private static final Box BOX = new Box(1, 2, 30, 40);

  static long addFace(GalleryStore store, GalleryInfo g, String subject, String sha, float[] template) {
    SubjectInfo s = store.ensureSubject(g.id(), subject, null, null);
    return store.addFace(g.id(), s.id(), sha, BOX, "{}", template, null).faceId();
  }

  @Test
  void failuresCarryTheirKind(@TempDir Path home) {
    try (GalleryStore store = TestStorage.open(home)) {
      GalleryInfo g = store.createGallery("g", "pack", 8);
      assertThatThrownBy(() -> store.createGallery("g", "pack", 8)).isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> store.requireGallery("nope")).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> store.requireSubject(g.id(), "nobody")).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> store.createGallery("a/b", "pack", 8)).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> store.createGallery(" ", "pack", 8)).isInstanceOf(InvalidInputException.class);
      // the audit chain writes "no gallery" as null: no gallery takes that name
      assertThatThrownBy(() -> store.createGallery("null", "pack", 8)).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> store.deleteFace(g.id(), 999)).isInstanceOf(NotFoundException.class);
      store.ensureSubject(g.id(), "a", null, null);
      assertThatThrownBy(() -> store.mergeSubjects(g.id(), "a", "a")).isInstanceOf(ConflictException.class);
    }
  }

  @Test
  void everyChangeToFacesOrSubjectsBumpsTheGenerationSeenByAnotherConnection(@TempDir Path home) {
    RandomTemplates t = new RandomTemplates(8);
    try (GalleryStore a = TestStorage.open(home); GalleryStore b = TestStorage.open(home)) {
      GalleryInfo g = a.createGallery("g", "pack", 8);
      GalleryInfo other = a.createGallery("other", "pack", 8);
      long g0 = b.generation(g.id());
      long face = addFace(a, g, "x", "s1", t.unit());
      long g1 = b.generation(g.id());
      assertThat(g1).isGreaterThan(g0);
      addFace(a, other, "x", "s1", t.unit());
      assertThat(b.generation(g.id())).as("another gallery's change").isEqualTo(g1);
      a.renameSubject(g.id(), "x", "y");
      long g2 = b.generation(g.id());
      assertThat(g2).isGreaterThan(g1);
      a.moveFace(g.id(), face, "z");
      long g3 = b.generation(g.id());
      assertThat(g3).isGreaterThan(g2);
      a.deleteFace(g.id(), face);
      assertThat(b.generation(g.id())).isGreaterThan(g3);
      assertThat(b.faceSubjects(g.id())).isEmpty();
    }
  }

  @Test
  void faceIdsAreNeverReusedEvenForTheLastFace(@TempDir Path home) {
    RandomTemplates t = new RandomTemplates(8);
    try (GalleryStore store = TestStorage.open(home)) {
      GalleryInfo g = store.createGallery("g", "pack", 8);
      long first = addFace(store, g, "x", "s1", t.unit());
      long last = addFace(store, g, "x", "s2", t.unit());
      store.deleteFace(g.id(), last);
      long next = addFace(store, g, "x", "s3", t.unit());
      assertThat(next).as("a cache that still holds face " + last + " must not mistake the new one for it").isGreaterThan(last);
      assertThat(store.faceSubjects(g.id()).keySet()).containsExactlyInAnyOrder(first, next);
    }
  }

  @Test
  void mergeCountsMovedAndDuplicateFaces(@TempDir Path home) {
    RandomTemplates t = new RandomTemplates(8);
    try (GalleryStore store = TestStorage.open(home)) {
      GalleryInfo g = store.createGallery("g", "pack", 8);
      addFace(store, g, "a", "same-image", t.unit());
      addFace(store, g, "a", "only-a", t.unit());
      addFace(store, g, "b", "same-image", t.unit());
      GalleryStore.Merged m = store.mergeSubjects(g.id(), "a", "b");
      assertThat(m.moved()).isEqualTo(1);
      assertThat(m.duplicatesDeleted()).isEqualTo(1);
      assertThat(store.requireSubject(g.id(), "b").faces()).isEqualTo(2);
      assertThat(store.subject(g.id(), "a")).isEmpty();
    }
  }

  @Test
  void aRefusedMoveChangesNothing(@TempDir Path home) {
    RandomTemplates t = new RandomTemplates(8);
    try (GalleryStore store = TestStorage.open(home)) {
      GalleryInfo g = store.createGallery("g", "pack", 8);
      long face = addFace(store, g, "a", "img", t.unit());
      addFace(store, g, "b", "img", t.unit());
      long before = store.generation(g.id());
      assertThatThrownBy(() -> store.moveFace(g.id(), face, "b")).isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> store.moveFace(g.id(), face, "bad/name")).isInstanceOf(InvalidInputException.class);
      assertThat(store.generation(g.id())).isEqualTo(before);
      assertThat(store.subjects(g.id())).extracting(SubjectInfo::name).containsExactly("a", "b");
      assertThat(store.face(g.id(), face).orElseThrow().subjectId()).isEqualTo(store.requireSubject(g.id(), "a").id());
    }
  }

  @Test
  void anImportThatFailsHalfWayLeavesNoGallery(@TempDir Path home, @TempDir Path tmp) throws Exception {
    RandomTemplates t = new RandomTemplates(8);
    try (GalleryStore store = TestStorage.open(home)) {
      GalleryInfo g = store.createGallery("g", "pack", 8);
      for (int i = 0; i < 5; i++) {
        addFace(store, g, "s" + i, "img" + i, t.unit());
      }
      Path archive = tmp.resolve("g.json");
      GalleryArchive.export(store, g, archive);
      // The last face's box is damaged: refused, with nothing written.
      String json = Files.readString(archive);
      int last = json.lastIndexOf("\"box\":[");
      Files.writeString(archive, json.substring(0, last) + "\"box\":[]" + json.substring(json.indexOf(']', last) + 1));
      assertThatThrownBy(() -> GalleryArchive.importFrom(store, archive, "copy")).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("face 1 of subject 's4'").hasMessageContaining("box");
      assertThat(store.gallery("copy")).isEmpty();
      Files.writeString(archive, Files.readString(archive).replace("\"box\":[]", "\"box\":[0,0,1,1]").replaceFirst("\"review\":null",
          "\"review\":\"maybe\""));
      if (Files.readString(archive).contains("\"maybe\"")) {
        assertThatThrownBy(() -> GalleryArchive.importFrom(store, archive, "copy")).isInstanceOf(InvalidInputException.class);
        assertThat(store.gallery("copy")).isEmpty();
      }
      assertThat(store.galleries()).extracting(GalleryInfo::name).containsExactly("g");
    }
  }

  @Test
  void anArchiveWhoseTemplatesNoEngineMakesIsRefused(@TempDir Path home, @TempDir Path tmp) throws Exception {
    RandomTemplates t = new RandomTemplates(8);
    try (GalleryStore store = TestStorage.open(home)) {
      GalleryInfo g = store.createGallery("g", "pack", 8);
      addFace(store, g, "honest", "img0", t.unit());
      Path archive = tmp.resolve("g.json");
      GalleryArchive.export(store, g, archive);
      String json = Files.readString(archive);
      String stored = json.replaceAll("(?s).*\"template\":\"([^\"]+)\".*", "$1");
      float[] v = Templates.decode(java.util.Base64.getDecoder().decode(stored));
      for (float scale : new float[] {50f, Float.NaN, 0f}) {
        float[] crafted = v.clone();
        for (int i = 0; i < crafted.length; i++) {
          crafted[i] *= scale; // 50 times longer: it would outscore every honest template for most faces
        }
        ByteBuffer b = ByteBuffer.allocate(crafted.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(crafted);
        Files.writeString(archive, json.replace(stored, java.util.Base64.getEncoder().encodeToString(b.array())));
        assertThatThrownBy(() -> GalleryArchive.importFrom(store, archive, "copy")).as("scale " + scale)
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("subject 'honest'");
        assertThat(store.gallery("copy")).isEmpty();
      }
      Files.writeString(archive, json.substring(0, json.length() * 2 / 3)); // cut off: a download that stopped
      assertThatThrownBy(() -> GalleryArchive.importFrom(store, archive, "copy")).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("not a Likeness gallery archive");
      assertThat(store.gallery("copy")).isEmpty();
      assertThatThrownBy(() -> addFace(store, g, "direct", "img1", new float[] {3, 0, 0, 0, 0, 0, 0, 0}))
          .as("the store itself refuses it, whatever the path").isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void aVersionTwoDatabaseIsMigratedKeepingItsFaces(@TempDir Path home) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(TestStorage.postgres(), "SQLite's own migrations from older releases");
    // Schema 1-2 as written by the previous release, with one face.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve(GalleryStore.FILE)); Statement s = c.createStatement()) {
      for (List<String> migration : Schema.SQLITE.subList(0, 2)) {
        for (String stmt : migration) {
          s.execute(stmt);
        }
      }
      s.execute("PRAGMA user_version = 2");
      s.execute("INSERT INTO gallery (id, name, pack_id, dimension, created) VALUES (1, 'old', 'pack', 2, '2026-01-01T00:00:00Z')");
      s.execute("INSERT INTO subject (id, gallery_id, name, created) VALUES (1, 1, 'x', '2026-01-01T00:00:00Z')");
      s.execute("INSERT INTO face (id, gallery_id, subject_id, image_sha256, box_x, box_y, box_w, box_h, quality, template, created) "
          + "VALUES (7, 1, 1, 'sha', 0, 0, 1, 1, '{}', X'0000803F00000000', '2026-01-01T00:00:00Z')");
    }
    try (GalleryStore store = TestStorage.open(home)) {
      GalleryInfo g = store.requireGallery("old");
      assertThat(store.faceSubjects(g.id())).containsEntry(7L, 1L);
      assertThat(store.integrityCheck()).isEqualTo("ok");
      long before = store.generation(g.id());
      store.deleteFace(g.id(), 7);
      assertThat(store.generation(g.id())).isGreaterThan(before);
      long next = addFace(store, g, "x", "sha2", new float[] {0, 1});
      assertThat(next).isGreaterThan(7);
    }
  }
}
