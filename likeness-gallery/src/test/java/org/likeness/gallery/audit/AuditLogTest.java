package org.likeness.gallery.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.gallery.store.TestStorage;
import org.likeness.gallery.testing.RandomTemplates;

/** The hash chain: intact under concurrent writers and two connections, and every kind of tampering located. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class AuditLogTest {

  @Test
  void concurrentWritersKeepOneChain(@TempDir Path home) throws Exception {
    try (AuditLog a = AuditLog.open(TestStorage.database(home)); AuditLog b = AuditLog.open(TestStorage.database(home))) {
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        AuditLog log = w % 2 == 0 ? a : b; // two connections, as two processes would have
        int writer = w;
        threads.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; i < 25; i++) {
            log.append("k" + writer, "identify", "g", Map.of("i", i), Map.of("faces", List.of()));
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      AuditLog.Verification v = a.verify();
      assertThat(v.intact()).as(v.problem()).isTrue();
      assertThat(v.records()).isEqualTo(100);
    }
  }

  @Test
  void anyEditedOrRemovedRecordIsLocated(@TempDir Path home) throws Exception {
    RandomTemplates t = new RandomTemplates(1);
    int n = 5 + t.random().nextInt(30);
    try (AuditLog log = AuditLog.open(TestStorage.database(home))) {
      for (int i = 0; i < n; i++) {
        log.append("key", "op" + i, null, Map.of("i", i), Map.of("ok", true));
      }
      assertThat(log.verify().intact()).isTrue();
      long target = 1 + t.random().nextInt(n);
      String column = List.of("operation", "inputs", "results", "key_id", "time").get(t.random().nextInt(5));
      try (Connection c = TestStorage.database(home).connect(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE audit SET " + column + " = " + column + " || 'x' WHERE seq = " + target);
      }
      AuditLog.Verification edited = log.verify();
      assertThat(edited.intact()).as(t.seed()).isFalse();
      assertThat(edited.firstBad()).as(column + " of record " + target + ", " + t.seed()).isEqualTo(target);
    }
  }
}
