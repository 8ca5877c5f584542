package org.likeness.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.Fixtures;
import org.likeness.engine.verify.Verifier;

class ModelPackReaderTest {
  /** The single-network pack whose files the tests below copy or point at. */
  private static ModelPack faceplugin() {
    return ModelCache.fromEnvironment(System.getenv()).open("faceplugin-0.0.1");
  }

  @Test
  void defaultPackDeclaresWhatTheModelsNeed() {
    ModelPack p = Fixtures.pack();
    assertThat(p.id()).isEqualTo("fusion-dlib-mobilefacenet-r2");
    assertThat(p.supersededBy()).isEmpty();
    assertThat(p.licence()).contains("MIT").contains("Apache-2.0").contains("CC0-1.0");
    assertThat(p.detector().model().input().width()).isEqualTo(320);
    assertThat(p.landmarks().input().colorOrder()).isEqualTo(ColorOrder.GRAY);
    assertThat(p.recognizer().members()).extracting(m -> m.embeddingSize()).containsExactly(128, 128);
    assertThat(p.recognizer().members()).extracting(m -> m.template()).containsExactly("dlib-150", "arcface-112");
    assertThat(p.recognizer().embeddingSize()).isEqualTo(256);
    // MobileFaceNet is fed as it was trained (torchvision's ImageNet normalisation), not ArcFace's (x - 127.5) / 127.5
    assertThat(p.recognizer().members().get(1).model().input().std()).containsExactly(58.395f, 57.12f, 57.375f);
    assertThat(p.recognizer().threshold()).isBetween(0.0, 1.0);
  }

  /** The default pack decides small faces on a map and calibration of its own; a map that is not the one measured is refused. */
  @Test
  void defaultPackCarriesItsSmallFaceRuleCheckedBySha256(@TempDir Path cache) throws Exception {
    ModelCache real = ModelCache.fromEnvironment(System.getenv());
    ModelPack pack = real.open(ModelCache.DEFAULT_PACK);
    var small = pack.recognizer().smallFaces();
    assertThat(small).isNotNull();
    assertThat(small.below()).isEqualTo(36);
    assertThat(small.map().dimension()).isEqualTo(pack.recognizer().embeddingSize());
    assertThat(small.calibration().thresholdFor(1e-3)).isGreaterThan(pack.recognizer().calibration().thresholdFor(1e-3));
    assertThat(pack.recognizer().verifier().smallFaces()).isSameAs(small);
    // small faces seen in several frames: never decided more loosely than a photo's, at any rate the pack states
    assertThat(small.tracks()).isNotNull();
    for (var p : small.calibration().points()) {
      assertThat(small.tracks().thresholdFor(p.rate())).as("rate %s", p.rate()).isGreaterThanOrEqualTo(p.threshold());
    }
    assertThat(small.calibrationFor(new org.likeness.engine.verify.FaceSize(20, 8))).isSameAs(small.tracks());
    assertThat(small.calibrationFor(org.likeness.engine.verify.FaceSize.photo(20))).isSameAs(small.calibration());
    try (var dirs = Files.list(real.root())) { // the other packs as they are, this one with its map changed
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        if (!d.getFileName().toString().equals(ModelCache.DEFAULT_PACK)) {
          Files.createSymbolicLink(cache.resolve(d.getFileName().toString()), d);
        }
      }
    }
    Path dir = Files.createDirectories(cache.resolve(ModelCache.DEFAULT_PACK));
    Files.copy(pack.dir().resolve("pack.json"), dir.resolve("pack.json"));
    byte[] map = Files.readAllBytes(pack.dir().resolve("small-faces.lkmap"));
    map[map.length - 1] ^= 1;
    Files.write(dir.resolve("small-faces.lkmap"), map);
    assertThatThrownBy(() -> new ModelCache(cache).open(ModelCache.DEFAULT_PACK)).isInstanceOf(ModelPackException.class)
        .hasMessageContaining("small-faces.lkmap").hasMessageContaining("sha256");
  }

  @Test
  void tamperedFileIsRefused(@TempDir Path dir) throws Exception {
    Path src = faceplugin().dir();
    for (String f : List.of("pack.json", "fr_detect.onnx", "fr_landmark.onnx", "fr_feature.onnx")) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    byte[] model = Files.readAllBytes(dir.resolve("fr_landmark.onnx"));
    model[model.length / 2] ^= 1;
    Files.write(dir.resolve("fr_landmark.onnx"), model);
    assertThatThrownBy(() -> new ModelPackReader().read(dir)).isInstanceOf(ModelPackException.class)
        .hasMessageContaining("fr_landmark.onnx").hasMessageContaining("sha256");
  }

  @Test
  void missingPackAndBadManifestsAreExplained(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> new ModelPackReader().read(dir.resolve("nope"))).hasMessageContaining("fetch-models.sh");
    Files.writeString(dir.resolve("pack.json"), "{\"format\": 99}");
    assertThatThrownBy(() -> new ModelPackReader().read(dir)).hasMessageContaining("format 99");
    Files.writeString(dir.resolve("pack.json"), "{\"format\": 1, \"id\": \"x\", \"files\": [], \"detector\": {\"file\": \"d.onnx\"}}");
    assertThatThrownBy(() -> new ModelPackReader().read(dir)).hasMessageContaining("not listed with a sha256");
    Files.writeString(dir.resolve("pack.json"), "not json");
    assertThatThrownBy(() -> new ModelPackReader().read(dir)).hasMessageContaining("unreadable manifest");
  }

  /**
   * A user-made pack: its own manifest, reusing faceplugin's files by relative path and
   * declaring another normalisation (BGR, ArcFace-style 127.5). It loads and runs with no code
   * change, and since the recogniser now sees other inputs its embeddings differ from faceplugin's.
   */
  @Test
  void userPackWithOtherNormalisationNeedsNoCode(@TempDir Path cache) throws Exception {
    ModelPack base = faceplugin();
    Path dir = Files.createDirectories(cache.resolve("custom"));
    String rel = dir.relativize(base.dir()).toString().replace('\\', '/');
    String manifest = Files.readString(base.dir().resolve("pack.json"))
        .replace("\"id\": \"faceplugin-0.0.1\"", "\"id\": \"custom-bgr\"")
        .replace("\"path\": \"fr_", "\"path\": \"" + rel + "/fr_")
        .replace("\"file\": \"fr_", "\"file\": \"" + rel + "/fr_")
        .replace("\"input\": {\"name\": \"input\", \"width\": 112, \"height\": 112, \"colorOrder\": \"RGB\", \"mean\": [127, 127, 127], \"std\": [128, 128, 128]}",
            "\"input\": {\"name\": \"input\", \"width\": 112, \"height\": 112, \"colorOrder\": \"BGR\", \"mean\": [127.5, 127.5, 127.5], \"std\": [127.5, 127.5, 127.5]}");
    assertThat(manifest).contains("\"BGR\"");
    Files.writeString(dir.resolve("pack.json"), manifest);
    ModelPack custom = new ModelCache(cache).open("custom");
    assertThat(custom.id()).isEqualTo("custom-bgr");
    assertThat(custom.recognizer().members().get(0).model().input().colorOrder()).isEqualTo(ColorOrder.BGR);
    try (FaceEngine a = new FaceEngine(base, EngineOptions.defaults()); FaceEngine b = new FaceEngine(custom, EngineOptions.defaults())) {
      var img = a.decode(Fixtures.photo("examples/obama.jpg"));
      Face fa = a.mostProminent(img).orElseThrow(), fb = b.mostProminent(img).orElseThrow();
      assertThat(fb.box()).isEqualTo(fa.box());
      assertThat(Verifier.cosine(fa.embedding(), fb.embedding())).isLessThan(0.9999);
    }
  }

  /** A fusion manifest is checked as a whole: weights that do not sum to 1, a wrong total size, a network whose input is not its template's crop, an unknown template. */
  @Test
  void badFusionManifestsAreExplained(@TempDir Path cache) throws Exception {
    Path real = ModelCache.fromEnvironment(System.getenv()).root();
    for (String sibling : List.of("faceplugin-0.0.1", "mobilefacenet-foamliu", "yunet-2023mar")) {
      Files.createSymbolicLink(cache.resolve(sibling), real.resolve(sibling).toAbsolutePath());
    }
    String good = Files.readString(real.resolve("fusion-faceplugin-mobilefacenet").resolve("pack.json"));
    Path dir = Files.createDirectories(cache.resolve("bad"));
    Files.writeString(dir.resolve("pack.json"), good);
    assertThat(new ModelCache(cache).open("bad").recognizer().members()).extracting(m -> m.weight()).containsExactly(0.3, 0.7);

    Files.writeString(dir.resolve("pack.json"), good.replace("\"weight\": 0.7", "\"weight\": 0.6"));
    assertThatThrownBy(() -> new ModelCache(cache).open("bad")).isInstanceOf(ModelPackException.class)
        .hasMessageContaining("weights sum to 0.9");
    Files.writeString(dir.resolve("pack.json"), good.replace("\"embeddingSize\": 640", "\"embeddingSize\": 512"));
    assertThatThrownBy(() -> new ModelCache(cache).open("bad")).hasMessageContaining("not the members' total 640");
    Files.writeString(dir.resolve("pack.json"), good.replaceFirst("\"width\": 112, \"height\": 112", "\"width\": 96, \"height\": 112"));
    assertThatThrownBy(() -> new ModelCache(cache).open("bad")).hasMessageContaining("template arcface-112 makes 112x112 crops; the network takes 96x112");
    Files.writeString(dir.resolve("pack.json"), good.replace("\"template\": \"arcface-112\"", "\"template\": \"arcface-96\""));
    assertThatThrownBy(() -> new ModelCache(cache).open("bad")).hasMessageContaining("unknown alignment template 'arcface-96'");
  }
}
