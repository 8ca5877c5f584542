package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy's source snapshot sees one state of the database and never holds its writers back. */
@Tag("database") // run again on PostgreSQL by scripts/test.sh
class DatabaseSnapshotTest {
  @Test
  void writersGoOnWhileASnapshotIsReadAndItDoesNotSeeThem(@TempDir Path home) throws Exception {
    try (GalleryStore store = TestStorage.open(home)) {
      store.createGallery("before", "pack", 4);
      try (Connection snapshot = TestStorage.database(home).openSnapshot()) {
        assertThat(galleries(snapshot)).isEqualTo(1); // the first read fixes the snapshot
        store.createGallery("during", "pack", 4); // would wait the busy timeout, then fail, under a write lock
        assertThat(store.gallery("during")).isPresent();
        assertThat(galleries(snapshot)).as("the snapshot's view").isEqualTo(1);
        snapshot.rollback();
      }
    }
  }

  private static long galleries(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM gallery")) {
      r.next();
      return r.getLong(1);
    }
  }
}
