package org.likeness.engine.model.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPackException;
import org.likeness.engine.model.ModelPackReader;

/**
 * The converted network computes what dlib computes: a 150 px chip cut by dlib 19.24's own pipeline
 * from the fixture {@code obama.jpg}, and the embedding dlib's C++ gave for it, are committed; the
 * ONNX file converted from the pack's {@code .dat} (installed by scripts/fetch-models.sh) must give
 * the same 128 values. Damaged inputs are refused with the reason, never converted into a wrong model.
 */
class DlibResNetConverterTest {
  private static final String DAT = "dlib_face_recognition_resnet_model_v1.dat";

  private static Path dat() {
    Path p = ModelCache.fromEnvironment(System.getenv()).root().resolve("dlib-resnet-v1").resolve(DAT);
    assertThat(p).as("dlib's network, installed by scripts/fetch-models.sh").isRegularFile();
    return p;
  }

  @Test
  void convertedNetworkGivesDlibsEmbedding(@TempDir Path dir) throws Exception {
    DlibNetFile net = DlibNetFile.read(dat());
    assertThat(net.channelMeans()).containsExactly(new float[] {122.782f, 117.001f, 104.298f}, within(1e-3f));
    assertThat(net.layers()).hasSize(59);
    Path onnx = dir.resolve("dlib.onnx");
    DlibResNetConverter.convert(dat(), onnx);
    byte[] first = Files.readAllBytes(onnx);
    DlibResNetConverter.convert(dat(), onnx);
    assertThat(Files.readAllBytes(onnx)).as("deterministic: the pack pins the output's sha256").isEqualTo(first);

    BufferedImage chip;
    try (InputStream in = getClass().getResourceAsStream("/dlib/obama-chip-150.png")) {
      chip = ImageIO.read(in);
    }
    float[] m = net.channelMeans();
    float[] input = new float[3 * 150 * 150];
    for (int y = 0; y < 150; y++) {
      for (int x = 0; x < 150; x++) {
        int rgb = chip.getRGB(x, y);
        input[y * 150 + x] = (((rgb >> 16) & 255) - m[0]) / 256f;
        input[22500 + y * 150 + x] = (((rgb >> 8) & 255) - m[1]) / 256f;
        input[45000 + y * 150 + x] = ((rgb & 255) - m[2]) / 256f;
      }
    }
    double[] expected;
    try (InputStream in = getClass().getResourceAsStream("/dlib/obama-chip-150.dlib-19.24.txt")) {
      expected = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().mapToDouble(Double::parseDouble).toArray();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, 150, 150});
        OrtSession.Result r = session.run(Map.of("input", t))) {
      float[] e = ((float[][]) r.get(0).getValue())[0];
      assertThat(e).hasSize(128);
      for (int i = 0; i < 128; i++) {
        assertThat((double) e[i]).as("value " + i).isCloseTo(expected[i], within(1e-5));
      }
    }
  }

  @Test
  void damagedFilesAreRefused(@TempDir Path dir) throws Exception {
    byte[] whole = Files.readAllBytes(dat());
    Path truncated = dir.resolve("truncated.dat");
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> DlibResNetConverter.convert(truncated, dir.resolve("a.onnx"))).isInstanceOf(IOException.class);
    byte[] noise = new byte[1 << 16];
    new Random(7).nextBytes(noise);
    Path garbage = dir.resolve("garbage.dat");
    Files.write(garbage, noise);
    assertThatThrownBy(() -> DlibResNetConverter.convert(garbage, dir.resolve("b.onnx"))).isInstanceOf(IOException.class);
    Files.write(garbage, new byte[0]);
    assertThatThrownBy(() -> DlibResNetConverter.convert(garbage, dir.resolve("c.onnx"))).isInstanceOf(IOException.class);
    assertThat(dir.resolve("a.onnx")).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
  }

  /**
   * The pack converts on first open and checks the result, converts again a derived file that was
   * damaged, and never converts a source that does not match its sha256.
   */
  @Test
  void packConvertsOnceAndRefusesATamperedSource(@TempDir Path cache) throws Exception {
    Path real = ModelCache.fromEnvironment(System.getenv()).root();
    Files.createSymbolicLink(cache.resolve("faceplugin-0.0.1"), real.resolve("faceplugin-0.0.1").toAbsolutePath());
    Path pack = Files.createDirectories(cache.resolve("dlib-resnet-v1"));
    for (String f : new String[] {"pack.json", "LICENSE", DAT}) {
      Files.copy(real.resolve("dlib-resnet-v1").resolve(f), pack.resolve(f));
    }
    Path onnx = pack.resolve("dlib_face_recognition_resnet_model_v1.onnx");
    assertThat(onnx).doesNotExist();
    var opened = new ModelPackReader().read(pack);
    assertThat(onnx).isRegularFile();
    assertThat(opened.recognizer().members().get(0).template()).isEqualTo("dlib-150");

    byte[] converted = Files.readAllBytes(onnx);
    byte[] damaged = converted.clone();
    damaged[damaged.length / 2] ^= 1;
    Files.write(onnx, damaged);
    new ModelPackReader().read(pack); // a damaged derived file is made again from its source
    assertThat(Files.readAllBytes(onnx)).isEqualTo(converted);

    Files.delete(onnx);
    byte[] bytes = Files.readAllBytes(pack.resolve(DAT));
    bytes[bytes.length / 3] ^= 1;
    Files.write(pack.resolve(DAT), bytes);
    assertThatThrownBy(() -> new ModelPackReader().read(pack)).isInstanceOf(ModelPackException.class)
        .hasMessageContaining(DAT).hasMessageContaining("sha256");
    assertThat(onnx).doesNotExist();
  }
}
