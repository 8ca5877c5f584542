package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.model.EmbeddingLayout;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.RecognizerSpec;
import org.likeness.eval.calibrate.EmbeddedSet;

/**
 * {@code eval tracks} takes its threshold from the set's pack (by default, or as a measured FMR through
 * the pack's table), and a same-person list takes an alias out of a track's candidates.
 */
class EvalTracksCliTest {

  @Test
  void thresholdComesFromThePackAndTheListTakesAnAliasOut(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("set.lkes");
    aliasedSet().write(file);
    RecognizerSpec rec = ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK).recognizer();

    CliContractTest.Run byDefault = CliContractTest.run("eval", "tracks", "--embeddings", file.toString());
    assertThat(byDefault.exit()).as(byDefault.err()).isZero();
    assertThat(byDefault.json().get("threshold").asDouble()).isCloseTo(rec.threshold(), within(1e-4));
    assertThat(fpir(byDefault.json(), "mean_template")).isEqualTo(0.5); // p1's track is named as p1-alias

    Path list = Files.writeString(tmp.resolve("same.txt"), "p1 p1-alias  # one person, two names\n");
    CliContractTest.Run listed = CliContractTest.run("eval", "tracks", "--embeddings", file.toString(), "--fmr", "1e-5",
        "--same-person", list.toString());
    assertThat(listed.exit()).as(listed.err()).isZero();
    JsonNode j = listed.json();
    assertThat(j.get("threshold").asDouble()).isCloseTo(rec.calibration().thresholdFor(1e-5), within(1e-4));
    assertThat(j.get("samePersonCandidatesLeftOut").asInt()).isEqualTo(1);
    assertThat(fpir(j, "mean_template")).isZero();

    Path typo = Files.writeString(tmp.resolve("typo.txt"), "p1 p1-alis\n");
    CliContractTest.Run bad = CliContractTest.run("eval", "tracks", "--embeddings", file.toString(), "--same-person", typo.toString());
    assertThat(bad.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(bad.err()).contains("p1-alis");
    CliContractTest.Run unmeasured = CliContractTest.run("eval", "tracks", "--embeddings", file.toString(), "--fmr", "1e-9");
    assertThat(unmeasured.exit()).isEqualTo(Main.EXIT_INPUT);

    Path other = tmp.resolve("other.lkes"); // embeddings of another size than the pack it names
    aliasedSet(EmbeddingLayout.single(32)).write(other);
    CliContractTest.Run mismatch = CliContractTest.run("eval", "tracks", "--embeddings", other.toString());
    assertThat(mismatch.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(mismatch.err()).contains("embeddings of 32 values").contains("makes 256");
  }

  private static double fpir(JsonNode j, String rule) {
    for (JsonNode r : j.get("rules")) {
      if (r.get("rule").asText().equals(rule)) {
        return r.get("fpir").asDouble();
      }
    }
    throw new AssertionError("no rule " + rule);
  }

  /**
   * Under the default pack's name: p0 to p3 with 6 photos each, far apart (the study enrols p0 and p2
   * and holds out p1 and p3), and "p1-alias" with one more photo of p1, enrolled as a distractor, so
   * p1's track is named as p1-alias unless a list says the two are one person.
   */
  private static EmbeddedSet aliasedSet() {
    return aliasedSet(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK).recognizer().layout());
  }

  /** The set above with embeddings laid out as {@code layout} (each network's part to its weight's length). */
  private static EmbeddedSet aliasedSet(EmbeddingLayout layout) {
    Random rnd = new Random(5);
    int dim = layout.dimension();
    List<String> paths = new ArrayList<>(), names = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    List<float[]> emb = new ArrayList<>();
    float[][] centres = new float[4][];
    for (int p = 0; p < 4; p++) {
      names.add("p" + p);
      centres[p] = new float[dim];
      int offset = 0;
      for (EmbeddingLayout.Part part : layout.parts()) { // orthogonal people in every network
        centres[p][offset + p] = 1;
        offset += part.dimension();
      }
      for (int k = 0; k < 6; k++) {
        paths.add("p" + p + "/" + k + ".jpg");
        ids.add(p);
        emb.add(near(centres[p], rnd, layout));
      }
    }
    names.add("p1-alias");
    paths.add("p1-alias/0.jpg");
    ids.add(4);
    emb.add(near(centres[1], rnd, layout));
    return new EmbeddedSet(ModelCache.DEFAULT_PACK, paths, ids.stream().mapToInt(Integer::intValue).toArray(), names,
        emb.toArray(new float[0][]), new boolean[paths.size()]);
  }

  private static float[] near(float[] centre, Random rnd, EmbeddingLayout layout) {
    double[] v = new double[centre.length];
    for (int d = 0; d < v.length; d++) {
      v[d] = centre[d] + 0.02 * rnd.nextGaussian();
    }
    return layout.template(v);
  }
}
