package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.server.auth.KeyStore;

@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class KeysAuditCliTest {

  @Test
  void keysCreateListRevoke(@TempDir Path home) throws Exception {
    Map<String, String> env = GalleryCliTest.env(home);
    CliContractTest.Run created = CliContractTest.run(env, "keys", "create", "--role", "search", "--name", "analyst", "--gallery", "watch");
    assertThat(created.exit()).isZero();
    String[] lines = created.out().strip().split("\n");
    String key = lines[lines.length - 1];
    assertThat(key).startsWith("lk_");
    try (KeyStore keys = KeyStore.open(org.likeness.gallery.store.TestStorage.database(home))) {
      assertThat(keys.authenticate(key)).isPresent();
    }
    CliContractTest.Run list = CliContractTest.run(env, "keys", "list");
    assertThat(list.out()).contains("analyst").doesNotContain(key.substring(key.indexOf('_', 3) + 1)); // the whole secret (ids hold no '_'; secrets may)
    String id = list.json().get("keys").get(0).get("id").asText();
    assertThat(CliContractTest.run(env, "keys", "revoke", id).exit()).isZero();
    assertThat(CliContractTest.run(env, "keys", "revoke", id).exit()).isEqualTo(Main.EXIT_INPUT);
    try (KeyStore keys = KeyStore.open(org.likeness.gallery.store.TestStorage.database(home))) {
      assertThat(keys.authenticate(key)).isEmpty();
    }
  }

  @Test
  void auditVerifyFailsNamingTheAlteredRecord(@TempDir Path home) throws Exception {
    Map<String, String> env = GalleryCliTest.env(home);
    try (AuditLog audit = AuditLog.open(org.likeness.gallery.store.TestStorage.database(home))) {
      for (int i = 0; i < 5; i++) {
        audit.append("k1", "identify", "watch", Map.of("images", java.util.List.of("sha" + i)), Map.of("n", i));
      }
    }
    assertThat(CliContractTest.run(env, "audit", "verify").exit()).isZero();
    CliContractTest.Run export = CliContractTest.run(env, "audit", "export");
    assertThat(export.out().strip().split("\n")).hasSize(5);
    try (Connection c = org.likeness.gallery.store.TestStorage.database(home).connect(); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE audit SET key_id = 'k2' WHERE seq = 3");
    }
    CliContractTest.Run broken = CliContractTest.run(env, "audit", "verify");
    assertThat(broken.exit()).isEqualTo(AuditCommand.EXIT_BROKEN);
    assertThat(broken.err()).contains("record 3");
  }
}
