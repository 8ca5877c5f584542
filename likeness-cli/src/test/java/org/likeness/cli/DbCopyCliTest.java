package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.likeness.gallery.store.Database;
import org.likeness.gallery.store.Storage;
import org.likeness.gallery.store.TestStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db copy}: an installation with a gallery, scans, clusters, a named cluster, keys and an
 * audit trail, copied SQLite to the test database and from there to a fresh SQLite file, answers
 * the same at each step (subjects, identification, scans, clusters) and its audit chain verifies.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class DbCopyCliTest {

  @Test
  void everythingMovesAndBackAndAnswersTheSame(@TempDir Path a, @TempDir Path b, @TempDir Path c) throws Exception {
    Map<String, String> src = sqlite(a);
    assertThat(CliContractTest.run(src, "gallery", "create", "watch").exit()).isZero();
    assertThat(CliContractTest.run(src, "enroll", "--gallery", "watch", GalleryCliTest.photo("examples/knn_examples/train")).exit()).isZero();
    assertThat(CliContractTest.run(src, "scan", GalleryCliTest.photo("examples/knn_examples/test"), "--gallery", "watch", "--json").exit())
        .isZero();
    assertThat(CliContractTest.run(src, "scan", GalleryCliTest.photo("examples/knn_examples/train"), "--json").exit()).isZero();
    assertThat(CliContractTest.run(src, "keys", "create", "--name", "analyst", "--role", "search", "--gallery", "watch").exit()).isZero();
    Snapshot before = Snapshot.of(src);
    long records = auditRecords(src); // reads are audited too: counted after the snapshot, as copied

    // SQLite to the test database (PostgreSQL when the tests run on it), then to a fresh SQLite file.
    Database middle = TestStorage.database(b);
    CliContractTest.Run there = CliContractTest.run(src, "db", "copy", "--from", Database.sqlite(a).url(), "--to", middle.url(), "--json");
    assertThat(there.exit()).as(there.err()).isZero();
    assertThat(there.json().get("rows").get("face").asInt()).isEqualTo(9);
    assertThat(there.json().get("audit").get("intact").asBoolean()).isTrue();
    assertThat(there.json().get("audit").get("records").asLong()).isEqualTo(records);
    assertThat(there.json().get("rows").get("audit").asLong()).isEqualTo(records);
    Map<String, String> mid = new HashMap<>(TestStorage.environment(b));
    mid.put(Storage.DATABASE_URL, middle.url());
    assertThat(Snapshot.of(mid)).isEqualTo(before);

    CliContractTest.Run back = CliContractTest.run(mid, "db", "copy", "--from", middle.url(), "--to", Database.sqlite(c).url());
    assertThat(back.exit()).as(back.err()).isZero();
    assertThat(Snapshot.of(sqlite(c))).isEqualTo(before);

    // Into a database that holds data: refused, nothing written.
    CliContractTest.Run again = CliContractTest.run(src, "db", "copy", "--from", Database.sqlite(a).url(), "--to", Database.sqlite(c).url());
    assertThat(again.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(again.err()).contains("already holds data");
    assertThat(Snapshot.of(sqlite(c))).isEqualTo(before);
    // A template key for the copy: everything stored plain is sealed, and the key opens it all.
    Path keyFile = java.nio.file.Files.writeString(c.resolve("new.key"),
        java.util.Base64.getEncoder().encodeToString(new java.security.SecureRandom().generateSeed(32)));
    CliContractTest.Run rotate = CliContractTest.run(sqlite(c), "db", "rotate-key", "--new-key-file", keyFile.toString(), "--json");
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    assertThat(rotate.json().get("faces").asInt()).isEqualTo(9);
    Map<String, String> keyed = sqlite(c);
    keyed.put("LIKENESS_TEMPLATE_KEY_FILE", keyFile.toString());
    assertThat(Snapshot.of(keyed)).isEqualTo(before);
    assertThat(CliContractTest.run(sqlite(c), "identify", "--gallery", "watch",
        GalleryCliTest.photo("examples/obama.jpg")).exit()).as("without the key: the database says it is encrypted").isEqualTo(Main.EXIT_STORE);
    // Enrolment goes on in the copy: ids continue past the copied ones.
    assertThat(CliContractTest.run(mid, "enroll", "--gallery", "watch", "--subject", "lin",
        GalleryCliTest.photo("examples/lin-manuel-miranda.png")).exit()).isZero();
  }

  private static Map<String, String> sqlite(Path home) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove(Storage.DATABASE_URL);
    env.put("LIKENESS_HOME", home.toString());
    return env;
  }

  private static long auditRecords(Map<String, String> env) {
    CliContractTest.Run audit = CliContractTest.run(env, "audit", "verify");
    assertThat(audit.exit()).as(audit.err()).isZero();
    return Long.parseLong(audit.out().replaceAll("(?s).*intact: (\\d+) records.*", "$1"));
  }

  /** What an installation answers, as the CLI prints it (key times left out); its audit trail verifies. */
  private record Snapshot(String subjects, String identify, String scans, String clusters, String keys) {
    static Snapshot of(Map<String, String> env) throws Exception {
      auditRecords(env);
      JsonNode scans = CliContractTest.run(env, "scans", "list", "--json").json();
      String keys = CliContractTest.run(env, "keys", "list").out().replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "T");
      return new Snapshot(
          CliContractTest.run(env, "subjects", "list", "--gallery", "watch", "--json").out(),
          CliContractTest.run(env, "identify", "--gallery", "watch", GalleryCliTest.photo("examples/knn_examples/test/obama_and_biden.jpg"),
              "--json").out(),
          scans.toString(),
          CliContractTest.run(env, "clusters", "list", "--json").out(),
          keys);
    }
  }
}
