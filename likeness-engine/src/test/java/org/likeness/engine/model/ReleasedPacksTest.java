package org.likeness.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A released pack never changes what it computes: galleries, scans and clusters hold its
 * templates under its id. Each manifest in {@code packs/} is reduced to what decides its
 * embeddings (files and their sha256, detector, landmarks, recogniser networks, inputs, templates,
 * weights; not the threshold or calibration, which are re-measured, nor the descriptive fields) and
 * hashed; {@code packs/RELEASED} records each pack's hash. A change to a released pack fails here:
 * ship it as a new pack and name that in the old one's {@code supersededBy}.
 */
class ReleasedPacksTest {
  private static final Path PACKS = Path.of("../packs");
  private static final List<String> DESCRIPTIVE = List.of("version", "licence", "origin", "supersededBy", "npm");
  private static final List<String> MEASURED = List.of("threshold", "thresholdFmr", "calibration", "smallFaces");

  @Test
  void everyPackComputesWhatItWasReleasedWith() throws Exception {
    Map<String, String> released = new TreeMap<>();
    for (String line : Files.readAllLines(PACKS.resolve("RELEASED"))) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        String[] f = l.split("\\s+");
        released.put(f[0], f[1]);
      }
    }
    Map<String, String> now = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(PACKS)) {
      for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("pack.json"))).toList()) {
        now.put(dir.getFileName().toString(), computeHash(dir.resolve("pack.json")));
      }
    }
    List<String> problems = new ArrayList<>();
    now.forEach((id, hash) -> {
      if (!released.containsKey(id)) {
        problems.add(id + ": not in packs/RELEASED; add the line \"" + id + " " + hash + "\" when it is released");
      } else if (!released.get(id).equals(hash)) {
        problems.add(id + ": what it computes changed (" + released.get(id) + " -> " + hash
            + "); release the change as a new pack and name it in this one's supersededBy");
      }
    });
    released.keySet().stream().filter(id -> !now.containsKey(id))
        .forEach(id -> problems.add(id + ": released but gone; galleries made with it would no longer open"));
    assertThat(problems).isEmpty();
  }

  @Test
  void descriptiveAndMeasuredFieldsDoNotCount(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path real = PACKS.resolve(ModelCache.DEFAULT_PACK).resolve("pack.json");
    String text = Files.readString(real);
    String base = computeHash(real);
    Path copy = tmp.resolve("pack.json");
    Files.writeString(copy, text.replace("\"thresholdFmr\": 1e-3", "\"thresholdFmr\": 1e-4")
        .replaceFirst("\"origin\": \"", "\"origin\": \"edited: "));
    assertThat(computeHash(copy)).isEqualTo(base);
    Files.writeString(copy, text.replace("\"weight\": 0.5", "\"weight\": 0.4").replaceFirst("\"weight\": 0.4", "\"weight\": 0.6"));
    assertThat(computeHash(copy)).isNotEqualTo(base);
    Files.writeString(copy, text.replace("58.395", "58.4"));
    assertThat(computeHash(copy)).isNotEqualTo(base);
  }

  /** sha256 of the manifest's computing fields, keys sorted, numbers as parsed (formatting does not count). */
  private static String computeHash(Path manifest) throws Exception {
    ObjectMapper json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    ObjectNode root = (ObjectNode) json.readTree(manifest.toFile());
    DESCRIPTIVE.forEach(root::remove);
    JsonNode rec = root.path("recognizer");
    if (rec instanceof ObjectNode r) {
      MEASURED.forEach(r::remove);
    }
    String canonical = json.writeValueAsString(json.treeToValue(root, Object.class));
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 12);
  }
}
