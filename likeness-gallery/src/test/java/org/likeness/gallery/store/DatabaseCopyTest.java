package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;

/** A copy never hands out again an id the source had given to a row deleted since. */
@Tag("database") // run again on PostgreSQL by scripts/test.sh (a copy between two schemas)
class DatabaseCopyTest {
  private static final Box BOX = new Box(0, 0, 10, 10);

  @Test
  void idsOfDeletedRowsAreNeverHandedOutAgainByTheCopy(@TempDir Path from, @TempDir Path to) {
    long deleted;
    try (GalleryStore store = TestStorage.open(from)) {
      GalleryInfo g = store.createGallery("g", "pack", 2);
      SubjectInfo s = store.ensureSubject(g.id(), "ann", null, null);
      store.addFace(g.id(), s.id(), "a1", BOX, "{}", new float[] {1, 0}, null);
      deleted = store.addFace(g.id(), s.id(), "a2", BOX, "{}", new float[] {0, 1}, null).faceId();
      store.deleteFace(g.id(), deleted); // the last id handed out: a copy that follows MAX(id) would reuse it
    }
    DatabaseCopy.Result r = new DatabaseCopy(TestStorage.database(from), TestStorage.database(to)).run();
    assertThat(r.rows().get("face")).isEqualTo(1);
    try (GalleryStore copy = TestStorage.open(to)) {
      GalleryInfo g = copy.requireGallery("g");
      SubjectInfo s = copy.subject(g.id(), "ann").orElseThrow();
      long next = copy.addFace(g.id(), s.id(), "a3", BOX, "{}", new float[] {0.6f, 0.8f}, null).faceId();
      assertThat(next).as("an id is one template for ever").isGreaterThan(deleted);
    }
  }
}
