package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.model.ModelCache;

/** The gallery CLI end to end on a real store under a temporary LIKENESS_HOME. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class GalleryCliTest {

  static Map<String, String> env(Path home) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIKENESS_HOME", home.toString());
    env.putAll(org.likeness.gallery.store.TestStorage.environment(home)); // PostgreSQL when the tests run on it
    return env;
  }

  static String photo(String rel) {
    return Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve(rel).toString();
  }

  @Test
  void createEnrolIdentifyManageExport(@TempDir Path home, @TempDir Path tmp) throws Exception {
    Map<String, String> env = env(home);
    assertThat(CliContractTest.run(env, "gallery", "create", "watch", "--json").exit()).isZero();
    CliContractTest.Run dup = CliContractTest.run(env, "gallery", "create", "watch");
    assertThat(dup.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(dup.err()).contains("already exists");

    CliContractTest.Run bulk = CliContractTest.run(env, "enroll", "--gallery", "watch", photo("examples/knn_examples/train"),
        "--report", tmp.resolve("report.jsonl").toString());
    assertThat(bulk.exit()).as(bulk.err()).isZero();
    assertThat(bulk.json().get("enrolled").asInt()).isEqualTo(9);
    assertThat(Files.readAllLines(tmp.resolve("report.jsonl"))).hasSize(9);
    CliContractTest.Run single = CliContractTest.run(env, "enroll", "--gallery", "watch", "--subject", "lin", photo("examples/lin-manuel-miranda.png"),
        photo("examples/two_people.jpg"));
    assertThat(single.json().get("enrolled").asInt()).isEqualTo(1);
    assertThat(single.json().get("rejected").asInt()).isEqualTo(1);
    assertThat(single.err()).contains("2 faces found");
    assertThat(single.exit()).as("a rejected image is bad input, with the summary still printed").isEqualTo(Main.EXIT_INPUT);
    CliContractTest.Run missing = CliContractTest.run(env, "enroll", "--gallery", "watch", "--subject", "lin",
        tmp.resolve("no-such.jpg").toString());
    assertThat(missing.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(missing.err()).contains("no-such.jpg: no such file");
    Path flat = Files.createDirectories(tmp.resolve("flat"));
    Files.copy(Path.of(photo("examples/obama.jpg")), flat.resolve("obama.jpg"));
    CliContractTest.Run noFolders = CliContractTest.run(env, "enroll", "--gallery", "watch", flat.toString());
    assertThat(noFolders.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(noFolders.err()).contains("one sub-folder per subject");

    CliContractTest.Run id = CliContractTest.run(env, "identify", "--gallery", "watch", photo("examples/knn_examples/test/obama_and_biden.jpg"),
        "--json", "--top", "3");
    assertThat(id.exit()).as(id.err()).isZero();
    JsonNode j = id.json();
    assertThat(CliContractTest.fields(j)).containsExactly("image", "faces");
    assertThat(j.get("faces")).hasSize(3);
    List<String> decided = new ArrayList<>();
    for (JsonNode f : j.get("faces")) {
      assertThat(CliContractTest.fields(f)).containsExactly("box", "candidates", "decision");
      assertThat(CliContractTest.fields(f.get("box"))).containsExactly("x", "y", "width", "height");
      assertThat(f.get("candidates").size()).isBetween(1, 3);
      for (JsonNode c : f.get("candidates")) {
        assertThat(CliContractTest.fields(c)).containsExactly("subject", "score", "fmr");
      }
      assertThat(CliContractTest.fields(f.get("decision"))).containsExactly("subject", "score", "fmr", "fpir");
      decided.add(f.get("decision").get("subject").isNull() ? null : f.get("decision").get("subject").asText());
    }
    // Obama and Biden are named; the child beside them is not enrolled and comes back unknown (null).
    assertThat(decided).contains("obama", "biden");
    assertThat(decided).containsNull();
    for (JsonNode f : j.get("faces")) { // the FPIR each decision stands for in this gallery of 10 templates
      double fpir = f.get("decision").get("fpir").asDouble();
      assertThat(fpir).isBetween(0.0, 1.0);
      if (!f.get("decision").get("subject").isNull()) {
        assertThat(fpir).as("a name is given only under the default FPIR 0.01").isLessThanOrEqualTo(0.01);
      }
    }
    CliContractTest.Run both = CliContractTest.run(env, "identify", "--gallery", "watch", photo("examples/obama.jpg"), "--fpir", "0.01",
        "--fmr", "1e-3");
    assertThat(both.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(both.err()).contains("--fmr or --fpir, not both");
    CliContractTest.Run strict = CliContractTest.run(env, "identify", "--gallery", "watch",
        photo("examples/knn_examples/test/obama_and_biden.jpg"), "--fpir", "1e-15", "--json");
    assertThat(strict.exit()).as(strict.err()).isZero();
    strict.json().get("faces").forEach(f -> assertThat(f.get("decision").get("subject").isNull())
        .as("at FPIR 1e-15 the threshold (past 1) is beyond every score").isTrue());

    CliContractTest.Run renamed = CliContractTest.run(env, "subjects", "rename", "--gallery", "watch", "lin", "lin_manuel_miranda", "--json");
    assertThat(renamed.exit()).isZero();
    assertThat(CliContractTest.fields(renamed.json())).containsExactly("name", "externalId", "tags", "faces", "created", "scanDecisionsChanged");
    CliContractTest.Run show = CliContractTest.run(env, "subjects", "show", "--gallery", "watch", "lin_manuel_miranda", "--json");
    long faceId = show.json().get("faceList").get(0).get("id").asLong();
    CliContractTest.Run moved = CliContractTest.run(env, "subjects", "move-face", "--gallery", "watch", Long.toString(faceId), "lmm", "--json");
    assertThat(moved.exit()).isZero();
    assertThat(CliContractTest.fields(moved.json())).containsExactly("face", "subject", "name", "externalId", "tags", "faces", "created");
    assertThat(CliContractTest.fields(CliContractTest.run(env, "gallery", "stats", "watch", "--json").json()))
        .containsExactly("name", "pack", "dimension", "subjects", "faces", "keepCrops", "created");
    CliContractTest.Run merged = CliContractTest.run(env, "subjects", "merge", "--gallery", "watch", "lmm", "lin_manuel_miranda", "--json");
    assertThat(merged.exit()).isZero();
    assertThat(CliContractTest.fields(merged.json())).containsExactly("merged", "into", "facesMoved", "scanDecisionsChanged");
    CliContractTest.Run del = CliContractTest.run(env, "subjects", "delete", "--gallery", "watch", "lin_manuel_miranda", "--json");
    assertThat(CliContractTest.fields(del.json())).containsExactly("deletedSubject", "facesDeleted", "scanDecisionsChanged", "verdictsCleared");
    assertThat(del.json().get("facesDeleted").asInt()).isEqualTo(1);
    // the audit record, written with the deletion, holds the answer as printed but for the scan
    // decisions re-decided after it commits (those are recorded with their rewrite, decisions.redecide)
    assertThat(CliContractTest.run(env, "audit", "export").out())
        .contains("\"results\":{\"deletedSubject\":\"lin_manuel_miranda\",\"facesDeleted\":1,\"verdictsCleared\":0}");
    CliContractTest.Run list = CliContractTest.run(env, "subjects", "list", "--gallery", "watch", "--json");
    assertThat(list.json().get("subjects")).hasSize(5);
    CliContractTest.Run linAgain = CliContractTest.run(env, "identify", "--gallery", "watch", photo("examples/lin-manuel-miranda.png"), "--json");
    assertThat(linAgain.json().get("faces").get(0).get("decision").get("subject").isNull()).isTrue();

    Path archive = tmp.resolve("watch.json");
    CliContractTest.Run exported = CliContractTest.run(env, "gallery", "export", "watch", archive.toString(), "--json");
    assertThat(exported.exit()).as(exported.err()).isZero();
    assertThat(exported.json().get("gallery").asText()).isEqualTo("watch");
    assertThat(exported.json().get("faces").asInt()).isPositive();
    CliContractTest.Run imported = CliContractTest.run(env, "gallery", "import", archive.toString(), "--as", "copy", "--json");
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.json().get("name").asText()).isEqualTo("copy");
    assertThat(imported.json().get("faces").asInt()).isEqualTo(exported.json().get("faces").asInt());
    CliContractTest.Run stats = CliContractTest.run(env, "gallery", "stats", "copy", "--json");
    assertThat(stats.json().get("faces").asInt()).isEqualTo(9);
    assertThat(stats.json().get("pack").asText()).isEqualTo(ModelCache.DEFAULT_PACK);

    // Every change and search above is in the audit trail, by the local account, chained intact.
    assertThat(CliContractTest.run(env, "audit", "verify").exit()).isZero();
    List<JsonNode> records = new ArrayList<>();
    for (String line : CliContractTest.run(env, "audit", "export").out().split("\n")) {
      records.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
    }
    List<String> ops = records.stream().map(r -> r.get("operation").asText()).toList();
    assertThat(ops).containsSubsequence("gallery.create", "enroll", "identify", "rename", "move", "merge", "delete.subject",
        "identify", "gallery.export", "gallery.import");
    assertThat(ops.stream().filter("enroll"::equals).count()).isEqualTo(11); // 9 bulk + 2 single, rejected included
    assertThat(records).allSatisfy(r -> assertThat(r.get("key").asText()).startsWith("local:"));
    JsonNode firstIdentify = records.stream().filter(r -> r.get("operation").asText().equals("identify")).findFirst().orElseThrow();
    assertThat(firstIdentify.get("inputs").toString()).containsPattern("[0-9a-f]{64}");
    assertThat(firstIdentify.get("results").get("faces")).hasSize(3);
  }

  @Test
  void unknownGalleryAndBadNamesAreClearErrors(@TempDir Path home) {
    Map<String, String> env = env(home);
    CliContractTest.Run r = CliContractTest.run(env, "identify", "--gallery", "nope", photo("examples/obama.jpg"), "--json");
    assertThat(r.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(r.err()).contains("unknown gallery 'nope'");
    CliContractTest.Run bad = CliContractTest.run(env, "gallery", "create", "../etc");
    assertThat(bad.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(bad.err()).contains("path separators");
  }

  @Test
  void evalIdentifyOnFixtures(@TempDir Path tmp) throws Exception {
    Path cmc = tmp.resolve("cmc.png");
    CliContractTest.Run r = CliContractTest.run("eval", "identify", Path.of("..", "eval", "fixture-identify.csv").toString(),
        "--root", Path.of(photo("")).toString(), "--distractor", "lin_manuel_miranda", "--leave-one-out", "--cmc", cmc.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("matedSearches").asInt()).isEqualTo(13);
    assertThat(j.get("rank1").asDouble()).isGreaterThanOrEqualTo(0.9);
    assertThat(j.get("fnirAtThreshold").asDouble()).isLessThanOrEqualTo(0.1);
    assertThat(j.get("fpirAtThreshold").asDouble()).isZero();
    assertThat(Files.size(cmc)).isPositive();
  }

  /** A same-person list takes the declared subject out of each probe's ranking; a list naming no subject is refused. */
  @Test
  void evalIdentifyLeavesDeclaredSamePersonOut(@TempDir Path tmp) throws Exception {
    String csv = Path.of("..", "eval", "fixture-identify.csv").toString(), root = Path.of(photo("")).toString();
    Path list = Files.writeString(tmp.resolve("same.txt"), "# pretend Biden is Obama under another name\nobama biden\n");
    CliContractTest.Run r = CliContractTest.run("eval", "identify", csv, "--root", root, "--leave-one-out",
        "--face", "central", "--same-person", list.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("face").asText()).isEqualTo("central");
    // 7 Obama probes lose Biden and 1 Biden probe loses Obama, from every ranking of all subjects
    assertThat(j.get("samePersonCandidatesLeftOut").asInt()).isEqualTo(8);
    assertThat(j.get("rank1").asDouble()).isGreaterThanOrEqualTo(0.9);

    Path typo = Files.writeString(tmp.resolve("typo.txt"), "obama bidenn\n");
    CliContractTest.Run bad = CliContractTest.run("eval", "identify", csv, "--root", root, "--same-person", typo.toString());
    assertThat(bad.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(bad.err()).contains("bidenn");
  }
}
