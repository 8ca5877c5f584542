package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.model.ModelCache;

/** {@code likeness packs}: every installed pack opened and checked; one that does not open is listed with the reason and exit 3. */
class PacksCliTest {

  @Test
  void listsTheInstalledPacksWithTheirCalibratedThreshold() throws Exception {
    CliContractTest.Run r = CliContractTest.run("packs", "--json");
    JsonNode j = r.json(); // exit 0 unless a pack of this machine's cache does not open, which is not this test's concern
    assertThat(j.get("default").asText()).isEqualTo(ModelCache.DEFAULT_PACK);
    JsonNode def = null;
    Set<String> ids = new HashSet<>();
    for (JsonNode p : j.get("packs")) {
      ids.add(p.get("id").asText());
      if (p.get("id").asText().equals(ModelCache.DEFAULT_PACK)) {
        def = p;
      }
    }
    assertThat(def).isNotNull();
    assertThat(def.get("supersededBy").isNull()).isTrue();
    for (JsonNode p : j.get("packs")) { // a superseded pack names a pack that is installed beside it
      if (p.path("ok").asBoolean() && !p.get("supersededBy").isNull()) {
        assertThat(ids).as(p.get("id").asText()).contains(p.get("supersededBy").asText());
      }
    }
    assertThat(def.get("ok").asBoolean()).as(def.toString()).isTrue();
    assertThat(def.get("default").asBoolean()).isTrue();
    assertThat(def.get("id").asText()).isEqualTo(ModelCache.DEFAULT_PACK);
    assertThat(CliContractTest.fields(def)).containsExactly("id", "ok", "default", "version", "supersededBy", "licence", "detector", "recognizers",
        "embeddingSize", "threshold", "fmrAtThreshold", "impostorPairs");
    assertThat(def.get("recognizers")).hasSize(2); // the fusion of two networks
    assertThat(def.get("detector").get("confirm").get("architecture").asText()).isEqualTo("yunet");
    assertThat(def.get("recognizers").get(0).get("weight").asDouble() + def.get("recognizers").get(1).get("weight").asDouble())
        .isEqualTo(1.0);
    assertThat(def.get("fmrAtThreshold").asDouble()).isEqualTo(1e-3); // the default threshold is the FMR 1e-3 point
    assertThat(def.get("impostorPairs").asLong()).isGreaterThan(80_000_000L);
  }

  /** A pack whose file does not match its sha256 is reported, the others still listed, and the exit code is 3. */
  @Test
  void aPackThatDoesNotOpenIsReportedWithTheReason(@TempDir Path cache) throws Exception {
    Path real = ModelCache.fromEnvironment(System.getenv()).root().resolve("faceplugin-0.0.1");
    Files.createSymbolicLink(cache.resolve("faceplugin-0.0.1"), real.toAbsolutePath());
    Path broken = Files.createDirectory(cache.resolve("broken"));
    String manifest = Files.readString(real.resolve("pack.json"))
        .replace("\"id\": \"faceplugin-0.0.1\"", "\"id\": \"broken\"")
        .replace("\"path\": \"fr_detect.onnx\"", "\"path\": \"../faceplugin-0.0.1/fr_detect.onnx\"")
        .replace("\"path\": \"fr_landmark.onnx\"", "\"path\": \"../faceplugin-0.0.1/fr_landmark.onnx\"")
        .replace("\"path\": \"fr_feature.onnx\"", "\"path\": \"../faceplugin-0.0.1/fr_feature.onnx\"")
        .replace("\"file\": \"fr_detect.onnx\"", "\"file\": \"../faceplugin-0.0.1/fr_detect.onnx\"")
        .replace("\"file\": \"fr_landmark.onnx\"", "\"file\": \"../faceplugin-0.0.1/fr_landmark.onnx\"")
        .replace("\"file\": \"fr_feature.onnx\"", "\"file\": \"../faceplugin-0.0.1/fr_feature.onnx\"")
        .replace("6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854",
            "0000000000000000000000000000000000000000000000000000000000000000");
    assertThat(manifest).contains("\"id\": \"broken\"").contains("0000000000000000");
    Files.writeString(broken.resolve("pack.json"), manifest);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIKENESS_MODELS", cache.toString());

    CliContractTest.Run r = CliContractTest.run(env, "packs", "--json");
    assertThat(r.exit()).isEqualTo(Main.EXIT_MODELS);
    JsonNode packs = r.json().get("packs");
    assertThat(packs).hasSize(2);
    assertThat(packs.get(0).get("id").asText()).isEqualTo("broken");
    assertThat(packs.get(0).get("ok").asBoolean()).isFalse();
    assertThat(packs.get(0).get("error").asText()).contains("fr_detect.onnx").contains("sha256");
    assertThat(packs.get(1).get("id").asText()).isEqualTo("faceplugin-0.0.1");
    assertThat(packs.get(1).get("ok").asBoolean()).isTrue();

    CliContractTest.Run text = CliContractTest.run(env, "packs");
    assertThat(text.out()).contains("broken").contains("DOES NOT OPEN").contains("faceplugin-0.0.1");

    env.put("LIKENESS_MODELS", Files.createDirectory(cache.resolve("empty")).toString());
    CliContractTest.Run none = CliContractTest.run(env, "packs");
    assertThat(none.exit()).isEqualTo(Main.EXIT_MODELS);
    assertThat(none.err()).contains("no model pack");
  }
}
