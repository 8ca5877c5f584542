package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI shapes written in the engine issue are contracts other tools parse: keep them exact. */
class CliContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DATA = Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition"));

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }

    List<JsonNode> jsonLines() throws Exception {
      List<JsonNode> lines = new ArrayList<>();
      for (String l : out.split("\n")) {
        if (!l.isBlank()) {
          lines.add(JSON.readTree(l));
        }
      }
      return lines;
    }
  }

  static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Run(code, out.toString(), err.toString());
  }

  static Run run(String... args) {
    return run(System.getenv(), args);
  }

  static String photo(String rel) {
    return DATA.resolve(rel).toString();
  }

  static List<String> fields(JsonNode n) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  @Test
  void detectJsonShape(@TempDir Path tmp) throws Exception {
    Path annotated = tmp.resolve("boxes.png");
    Run r = run("detect", photo("examples/two_people.jpg"), "--json", "--annotate", annotated.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(fields(j)).containsExactly("image", "width", "height", "faces");
    assertThat(j.get("width").asInt()).isEqualTo(1126);
    assertThat(j.get("height").asInt()).isEqualTo(661);
    assertThat(j.get("faces")).hasSize(2);
    for (JsonNode f : j.get("faces")) {
      assertThat(fields(f)).containsExactly("box", "score", "landmarks", "quality");
      assertThat(fields(f.get("box"))).containsExactly("x", "y", "width", "height");
      assertThat(f.get("box").get("x").asDouble()).isBetween(0.0, 1126.0);
      assertThat(f.get("landmarks")).hasSize(5);
      f.get("landmarks").forEach(p -> assertThat(p).hasSize(2));
      assertThat(f.get("quality").get("passed").isBoolean()).isTrue();
      assertThat(f.get("quality").get("reasons").isArray()).isTrue();
    }
    BufferedImage png = ImageIO.read(annotated.toFile());
    assertThat(png.getWidth()).isEqualTo(1126);
  }

  @Test
  void verifyJsonShapeAndDecision() throws Exception {
    Run same = run("verify", photo("examples/obama.jpg"), photo("examples/obama2.jpg"), "--json");
    assertThat(same.exit()).as(same.err()).isZero();
    JsonNode j = same.json();
    assertThat(fields(j)).containsExactly("a", "b", "similarity", "match", "threshold", "fmr");
    assertThat(j.get("match").asBoolean()).isTrue();
    assertThat(j.get("similarity").asDouble()).isGreaterThan(j.get("threshold").asDouble());
    // A match's measured false-match rate is small, a number or a bound such as "<1e-6".
    assertThat(j.get("fmr").isTextual() ? j.get("fmr").asText() : Double.toString(j.get("fmr").asDouble()))
        .matches("<1e-\\d|[0-9.E-]+");
    if (j.get("fmr").isNumber()) {
      assertThat(j.get("fmr").asDouble()).isLessThan(1e-3);
    }
    Run diff = run("verify", photo("examples/obama.jpg"), photo("examples/biden.jpg"), "--json");
    assertThat(diff.json().get("match").asBoolean()).isFalse();
    assertThat(diff.json().get("fmr").asDouble()).as("two different people: a common score among impostors").isGreaterThan(1e-2);
  }

  @Test
  void verifyPairsKeepsGoingPastBadImages(@TempDir Path tmp) throws Exception {
    Path notImage = Files.writeString(tmp.resolve("notes.jpg"), "this is not a photo");
    Path csv = tmp.resolve("pairs.csv");
    Files.writeString(csv, "a,b\n"
        + photo("examples/obama.jpg") + "," + photo("examples/obama2.jpg") + "\n"
        + notImage + "," + photo("examples/biden.jpg") + "\n"
        + tmp.resolve("missing.png") + "," + photo("examples/biden.jpg") + "\n"
        + photo("examples/biden.jpg") + "," + photo("examples/knn_examples/train/biden/biden2.jpg") + "\n");
    Run r = run("verify", "--pairs", csv.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> lines = r.jsonLines();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0).get("match").asBoolean()).isTrue();
    assertThat(fields(lines.get(1))).containsExactly("a", "b", "error");
    assertThat(lines.get(1).get("error").asText()).contains("notes.jpg").contains("not a supported image format");
    assertThat(lines.get(2).get("error").asText()).contains("missing.png").contains("no such file");
    assertThat(lines.get(3).get("match").asBoolean()).isTrue();
    assertThat(r.err()).contains("2 of 4 pairs could not be scored");
  }

  @Test
  void badInputFailsWithReasonOnStderr(@TempDir Path tmp) throws Exception {
    Path empty = Files.createFile(tmp.resolve("empty.jpg"));
    Run r = run("verify", empty.toString(), photo("examples/biden.jpg"), "--json");
    assertThat(r.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("empty.jpg").contains("empty file");

    Path blank = tmp.resolve("blank.png");
    ImageIO.write(new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB), "png", blank.toFile());
    Run noFace = run("verify", blank.toString(), photo("examples/biden.jpg"), "--json");
    assertThat(noFace.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(noFace.err()).contains("blank.png").contains("no face");

    Run detectBlank = run("detect", blank.toString(), "--json");
    assertThat(detectBlank.exit()).isZero();
    assertThat(detectBlank.json().get("faces")).isEmpty();

    Run usage = run("verify", photo("examples/biden.jpg"));
    assertThat(usage.exit()).isEqualTo(2);
  }

  @Test
  void missingModelPackSaysHowToInstallIt(@TempDir Path tmp) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIKENESS_MODELS", tmp.toString());
    Run r = run(env, "detect", photo("examples/biden.jpg"), "--json");
    assertThat(r.exit()).isEqualTo(Main.EXIT_MODELS);
    assertThat(r.err()).contains("fetch-models.sh");
  }

  @Test
  void embedGivesUnitEmbeddingPerFace() throws Exception {
    Run r = run("embed", photo("examples/two_people.jpg"), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("faces")).hasSize(2);
    for (JsonNode f : j.get("faces")) {
      double norm = 0;
      assertThat(f.get("embedding")).hasSize(256); // the default pack: 128 (dlib) + 128 (MobileFaceNet), fused
      for (JsonNode v : f.get("embedding")) {
        norm += v.asDouble() * v.asDouble();
      }
      assertThat(Math.sqrt(norm)).isBetween(0.999, 1.001);
    }
  }

  @Test
  void evalPairsOnFixturesMeetsAccuracyBounds(@TempDir Path tmp) throws Exception {
    Path roc = tmp.resolve("roc.png");
    Path pairs = Path.of("..", "eval", "fixture-pairs.csv");
    Run r = run("eval", "pairs", pairs.toString(), "--root", DATA.toString(), "--roc", roc.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("pairs").asInt()).isEqualTo(171);
    assertThat(j.get("failed").asInt()).isZero();
    assertThat(j.get("accuracyAtThreshold").asDouble()).isGreaterThanOrEqualTo(0.97);
    assertThat(j.get("auc").asDouble()).isGreaterThanOrEqualTo(0.99);
    assertThat(j.get("eer").asDouble()).isLessThanOrEqualTo(0.03);
    assertThat(j.get("tarAtFar1e-2").asDouble()).isGreaterThanOrEqualTo(0.9);
    assertThat(ImageIO.read(roc.toFile()).getWidth()).isEqualTo(800);
  }

  /** LFW's pairs.txt layout, over an LFW-shaped tree of links to the fixture photos. */
  @Test
  void evalPairsReadsLfwLayoutWithFolds(@TempDir Path tmp) throws Exception {
    link(tmp, "Barack_Obama", 1, "examples/obama.jpg");
    link(tmp, "Barack_Obama", 2, "examples/obama2.jpg");
    link(tmp, "Barack_Obama", 3, "examples/knn_examples/test/obama1.jpg");
    link(tmp, "Joe_Biden", 1, "examples/biden.jpg");
    link(tmp, "Joe_Biden", 2, "examples/knn_examples/train/biden/biden2.jpg");
    link(tmp, "Kit_Harington", 1, "examples/knn_examples/train/kit_harington/john1.jpeg");
    link(tmp, "Kit_Harington", 2, "examples/knn_examples/train/kit_harington/john2.jpeg");
    Path pairs = tmp.resolve("pairs.txt");
    Files.writeString(pairs, String.join("\n",
        "2\t2",
        "Barack_Obama\t1\t2", "Joe_Biden\t1\t2", "Barack_Obama\t1\tJoe_Biden\t1", "Kit_Harington\t1\tJoe_Biden\t2",
        "Kit_Harington\t1\t2", "Barack_Obama\t2\t3", "Barack_Obama\t3\tKit_Harington\t2", "Joe_Biden\t1\tBarack_Obama\t2", ""));
    Run r = run("eval", "pairs", pairs.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("layout").asText()).isEqualTo("lfw");
    assertThat(j.get("pairs").asInt()).isEqualTo(8);
    assertThat(j.get("genuine").asInt()).isEqualTo(4);
    assertThat(j.get("accuracy2Fold").asDouble()).isEqualTo(1.0);
  }

  private static void link(Path root, String name, int n, String rel) throws Exception {
    Path dir = Files.createDirectories(root.resolve(name));
    Files.createSymbolicLink(dir.resolve(String.format("%s_%04d.jpg", name, n)), DATA.resolve(rel).toAbsolutePath());
  }
}
