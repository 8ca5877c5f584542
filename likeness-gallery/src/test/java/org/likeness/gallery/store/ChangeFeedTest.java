package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;

/**
 * On PostgreSQL, a change committed through one connection is heard by another's feed, once per
 * gallery and commit, and nothing is heard of a rolled-back change; on SQLite there is no feed.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ChangeFeedTest {
  @Test
  void committedChangesAreHeardByOtherServers(@TempDir Path home) throws Exception {
    LinkedBlockingQueue<Long> heard = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<String> keys = new LinkedBlockingQueue<>();
    try (GalleryStore store = TestStorage.open(home)) {
      ChangeFeed feed = ChangeFeed.start(store.database(), heard::add, keys::add, () -> heard.add(-1L));
      if (!TestStorage.postgres()) {
        assertThat(feed).as("SQLite: every process reads the counter; nothing to listen to").isNull();
        return;
      }
      try (feed) {
        long g = store.createGallery("g", "p", 2).id();
        Thread.sleep(300); // the feed's LISTEN is in place
        long s = store.ensureSubject(g, "a", null, null).id();
        assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo(g);
        store.addFace(g, s, "ab".repeat(32), new Box(1, 2, 3, 4), "{}", new float[] {1, 0}, null);
        assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo(g);
        try {
          store.inTransaction(() -> {
            store.ensureSubject(g, "b", null, null);
            throw new IllegalStateException("rolled back");
          });
        } catch (RuntimeException expected) {
          // nothing committed
        }
        assertThat(heard.poll(1, TimeUnit.SECONDS)).as("a rolled-back change is not announced").isNull();
        // A key revoked through another connection is announced by its id.
        try (java.sql.Connection c = store.database().connect(); java.sql.Statement st = c.createStatement()) {
          st.execute("INSERT INTO api_key (id, name, role, salt, hash, iterations, created) VALUES ('k1', 'n', 'READ', '\\x00', '\\x00', 1, 't')");
          st.execute("UPDATE api_key SET revoked = 'now' WHERE id = 'k1'");
        }
        assertThat(keys.poll(10, TimeUnit.SECONDS)).isEqualTo("k1");
      }
    }
  }
}
