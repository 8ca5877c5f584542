package org.likeness.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.gallery.store.TestStorage;

@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class KeyStoreTest {
  @TempDir
  Path home;

  @Test
  void rightKeyPassesAndTamperedOrForeignKeysDoNot() {
    try (KeyStore keys = KeyStore.open(TestStorage.database(home))) {
      KeyStore.Created c = keys.create("analyst", Role.SEARCH, "watch");
      assertThat(keys.authenticate(c.secret())).get().extracting(ApiKey::id).isEqualTo(c.key().id());
      assertThat(keys.authenticate(c.secret())).isPresent(); // remembered
      String last = c.secret().substring(c.secret().length() - 1);
      String tampered = c.secret().substring(0, c.secret().length() - 1) + (last.equals("A") ? "B" : "A");
      assertThat(keys.authenticate(tampered)).isEmpty();
      assertThat(keys.authenticate("lk_nosuchid_secret")).isEmpty();
      assertThat(keys.authenticate("lk_")).isEmpty();
      assertThat(keys.authenticate("not-a-key")).isEmpty();
      assertThat(keys.authenticate(null)).isEmpty();
    }
  }

  @Test
  void aKeyIsCreatedAndRevokedOnlyWithItsAuditRecord() throws Exception {
    var db = TestStorage.database(home);
    try (KeyStore keys = KeyStore.open(db); org.likeness.gallery.audit.AuditLog audit = org.likeness.gallery.audit.AuditLog.open(db)) {
      KeyAdmin admin = new KeyAdmin(keys, audit);
      try (AutoCloseable refusal = org.likeness.gallery.store.DatabaseState.refuseAudit(db)) {
        assertThatThrownBy(() -> admin.create("t", "refused", Role.READ, null)).isInstanceOf(RuntimeException.class);
      }
      assertThat(keys.list()).as("no key without its record").isEmpty();
      KeyStore.Created c = admin.create("t", "kept", Role.READ, null);
      assertThat(keys.list()).hasSize(1);
      try (AutoCloseable refusal = org.likeness.gallery.store.DatabaseState.refuseAudit(db)) {
        assertThatThrownBy(() -> admin.revoke("t", c.key().id())).isInstanceOf(RuntimeException.class);
      }
      assertThat(keys.authenticate(c.secret())).as("not revoked without its record").isPresent();
      admin.revoke("t", c.key().id());
      assertThat(keys.authenticate(c.secret())).isEmpty();
      List<String> operations = new ArrayList<>();
      audit.forEach(r -> operations.add(r.operation()));
      assertThat(operations).containsExactly("keys.create", "keys.revoke");
    }
  }

  /**
   * A wrong secret costs a slow hash and key ids are not secret, so an id whose slow check failed is
   * refused without one until its pause ends; other ids, keys already proven and revoked keys are
   * not held up.
   */
  @Test
  void aKeyIdThatFailedIsNotCheckedSlowlyAgainAtOnce() {
    var db = TestStorage.database(home);
    try (KeyStore keys = JdbcKeyStore.open(db, JdbcKeyStore.CACHE_MILLIS, 60_000)) {
      KeyStore.Created c = keys.create("analyst", Role.SEARCH, null), other = keys.create("other", Role.READ, null);
      String wrong = c.secret().substring(0, c.secret().length() - 4) + "xxxx";
      assertThat(keys.authenticate(wrong)).isEmpty();
      assertThatThrownBy(() -> keys.authenticate(wrong)).isInstanceOf(KeyStore.TooManyFailures.class)
          .satisfies(e -> assertThat(((KeyStore.TooManyFailures) e).retryAfterSeconds()).isBetween(1, 60));
      // the pause is the id's: its right secret, not proven yet, waits too; another id does not
      assertThatThrownBy(() -> keys.authenticate(c.secret())).isInstanceOf(KeyStore.TooManyFailures.class);
      assertThat(keys.authenticate(other.secret())).isPresent();
      // a key proven before the failures is answered from its cache
      String otherWrong = other.secret().substring(0, other.secret().length() - 4) + "xxxx";
      assertThat(keys.authenticate(otherWrong)).isEmpty();
      assertThat(keys.authenticate(other.secret())).isPresent();
      // a revoked key is refused outright, never paused
      keys.revoke(other.key().id());
      assertThat(keys.authenticate(otherWrong)).isEmpty();
      assertThat(keys.authenticate(otherWrong)).isEmpty();
    }
    try (KeyStore keys = JdbcKeyStore.open(db, JdbcKeyStore.CACHE_MILLIS, 0)) { // no pause: the right secret passes next
      KeyStore.Created c = keys.create("clerk", Role.ENROLL, null);
      assertThat(keys.authenticate(c.secret().substring(0, c.secret().length() - 4) + "xxxx")).isEmpty();
      assertThat(keys.authenticate(c.secret())).isPresent();
    }
  }

  @Test
  void revocationByAnotherProcessTakesEffectAtTheNextRecheck() throws Exception {
    try (KeyStore server = JdbcKeyStore.open(TestStorage.database(home), 0); KeyStore cli = KeyStore.open(TestStorage.database(home))) {
      KeyStore.Created c = cli.create("temp", Role.READ, null);
      assertThat(server.authenticate(c.secret())).isPresent();
      assertThat(cli.revoke(c.key().id())).isTrue();
      assertThat(server.authenticate(c.secret())).isEmpty();
      assertThat(server.authenticate(c.secret())).isEmpty(); // and stays out, slow path included
    }
  }

  @Test
  void concurrentFirstRequestsAllAuthenticate() throws Exception {
    try (KeyStore keys = KeyStore.open(TestStorage.database(home))) {
      KeyStore.Created c = keys.create("load", Role.SEARCH, null);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Optional<ApiKey>>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
          String presented = i % 4 == 3 ? c.secret() + "x" : c.secret();
          results.add(pool.submit(() -> keys.authenticate(presented)));
        }
        for (int i = 0; i < results.size(); i++) {
          assertThat(results.get(i).get().isPresent()).as("request %d", i).isEqualTo(i % 4 != 3);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
