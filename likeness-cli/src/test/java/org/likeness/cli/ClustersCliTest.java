package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unknown faces from real scans: the knn_examples photos (five people, one folder each, plus group
 * photos) scanned without a gallery cluster by person; a cluster named becomes a subject; and
 * {@code appearances} finds a person everywhere, by subject or by a photo nobody scanned.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ClustersCliTest {

  @Test
  void clusterNameFindAppearancesUndo(@TempDir Path home) throws Exception {
    Map<String, String> env = GalleryCliTest.env(home);
    String knn = GalleryCliTest.photo("examples/knn_examples");
    CliContractTest.Run scan = CliContractTest.run(env, "scan", knn, "--json");
    assertThat(scan.exit()).as(scan.err()).isZero();
    assertThat(scan.json().get("scanned").asInt()).isEqualTo(14);

    assertThat(CliContractTest.fields(CliContractTest.run(env, "clusters", "update", "--json").json()))
        .containsExactly("unknownSightings", "joinedClusters", "newClusters", "released", "emptyDropped");
    JsonNode list = CliContractTest.run(env, "clusters", "list", "--json").json().get("clusters");
    long obamaCluster = -1;
    for (JsonNode c : list) {
      JsonNode shown = CliContractTest.run(env, "clusters", "show", c.get("cluster").asText(), "--json").json();
      Set<String> people = new HashSet<>();
      for (JsonNode f : shown.get("faces")) {
        String path = f.get("media").get("path").asText();
        if (path.contains("/train/")) { // one person per photo, named by its folder
          people.add(Path.of(path).getParent().getFileName().toString());
        }
      }
      assertThat(people).as("cluster %s mixes people", c.get("cluster")).hasSizeLessThanOrEqualTo(1);
      if (people.contains("obama")) {
        obamaCluster = c.get("cluster").asLong();
      }
    }
    assertThat(obamaCluster).isPositive();
    JsonNode obama = CliContractTest.run(env, "clusters", "show", Long.toString(obamaCluster), "--json").json();
    assertThat(obama.get("faces").size()).as("Obama's two training photos and the test photos of him").isGreaterThanOrEqualTo(3);

    // Naming makes a subject of the gallery; appearances then find him in every scanned photo.
    assertThat(CliContractTest.run(env, "gallery", "create", "g").exit()).isZero();
    CliContractTest.Run name = CliContractTest.run(env, "clusters", "name", Long.toString(obamaCluster), "obama", "--gallery", "g", "--json");
    assertThat(name.exit()).as(name.err()).isZero();
    assertThat(name.json().get("facesEnrolled").size()).isPositive();
    // The shape, --subject S --json: the one gallery that has S is meant.
    CliContractTest.Run bySubject = CliContractTest.run(env, "appearances", "--subject", "obama", "--json");
    assertThat(bySubject.exit()).as(bySubject.err()).isZero();
    assertThat(CliContractTest.run(env, "appearances", "--subject", "obama", "--gallery", "g", "--json").json().get("appearances"))
        .isEqualTo(bySubject.json().get("appearances"));
    CliContractTest.Run nobody = CliContractTest.run(env, "appearances", "--subject", "nobody", "--json");
    assertThat(nobody.exit()).as(nobody.err()).isNotZero();
    assertThat(nobody.err()).contains("nobody");
    // Suggestions against a gallery search stored templates: no engine, no stack trace.
    CliContractTest.Run suggest = CliContractTest.run(env, "clusters", "suggest", "--gallery", "g", "--json");
    assertThat(suggest.exit()).as(suggest.err()).isZero();
    assertThat(suggest.err()).doesNotContain("Exception");
    // The same name in a second gallery may be someone else: then the gallery must be said.
    assertThat(CliContractTest.run(env, "gallery", "create", "g2").exit()).isZero();
    assertThat(CliContractTest.run(env, "enroll", "--gallery", "g2", "--subject", "obama", GalleryCliTest.photo("examples/obama.jpg"))
        .exit()).isZero();
    CliContractTest.Run twice = CliContractTest.run(env, "appearances", "--subject", "obama", "--json");
    assertThat(twice.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(twice.err()).contains("g, g2");
    List<String> paths = new ArrayList<>();
    double previous = Double.MAX_VALUE;
    for (JsonNode a : bySubject.json().get("appearances")) {
      assertThat(CliContractTest.fields(a)).contains("sighting", "scan", "track", "media", "time", "box", "score", "fmr");
      assertThat(a.get("score").asDouble()).isLessThanOrEqualTo(previous);
      previous = a.get("score").asDouble();
      paths.add(Path.of(a.get("media").get("path").asText()).getFileName().toString());
    }
    assertThat(paths).contains("obama.jpg", "obama2.jpg", "obama1.jpg", "obama_and_biden.jpg");
    assertThat(paths).doesNotContain("biden.jpg", "biden2.jpg", "john1.jpeg", "img1.jpg");
    CliContractTest.Run byFace = CliContractTest.run(env, "appearances", "--face", GalleryCliTest.photo("examples/obama-480p.jpg"), "--json");
    assertThat(byFace.exit()).as(byFace.err()).isZero();
    List<String> faceHits = new ArrayList<>();
    byFace.json().get("appearances").forEach(a -> faceHits.add(Path.of(a.get("media").get("path").asText()).getFileName().toString()));
    assertThat(faceHits).contains("obama.jpg", "obama2.jpg").doesNotContain("biden.jpg");

    // A re-clustering keeps the name; undo takes it back, enrolled faces and all.
    CliContractTest.Run rebuilt = CliContractTest.run(env, "clusters", "rebuild", "--json");
    assertThat(rebuilt.exit()).isZero();
    assertThat(CliContractTest.fields(rebuilt.json())).containsExactly("unknownSightings", "clusters", "lockedKept", "newClusters", "graph");
    assertThat(CliContractTest.run(env, "clusters", "show", Long.toString(obamaCluster), "--json").json().get("subject").asText())
        .isEqualTo("obama");
    CliContractTest.Run undo = CliContractTest.run(env, "clusters", "undo", "--json");
    assertThat(undo.exit()).as(undo.err()).isZero();
    assertThat(undo.json().get("action").asText()).isEqualTo("name");
    assertThat(CliContractTest.run(env, "subjects", "show", "--gallery", "g", "obama").exit()).isEqualTo(1);
    String audit = CliContractTest.run(env, "audit", "export").out();
    assertThat(audit).contains("\"clusters.update\"", "\"clusters.name\"", "\"appearances\"", "\"clusters.undo\"", "\"enroll.sightings\"");
  }
}
