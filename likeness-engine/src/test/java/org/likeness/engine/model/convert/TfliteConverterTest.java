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
import org.likeness.engine.model.ModelPackReader;

/**
 * The converted network computes what the TFLite graph computes. The reference is the same graph
 * evaluated channels-last in NumPy with TensorFlow's own SAME padding (every operator of the file,
 * read from its FlatBuffer; ArmNN's TFLite parser from Debian, the other runtime at hand, has no ABS),
 * on the centre 112 px of the committed dlib chip and its mirror image: the file's fixed batch of two.
 * The ONNX file converted from the pack's {@code .tflite} (installed by scripts/fetch-models.sh) must
 * give the same 2 x 192 values; damaged files are refused with the reason.
 */
class TfliteConverterTest {
  private static final String PACK = "mobilefacenet-tflite-192";

  private static Path tflite() {
    Path p = ModelCache.fromEnvironment(System.getenv()).root().resolve(PACK).resolve("MobileFaceNet.tflite");
    assertThat(p).as("the TFLite network, installed by scripts/fetch-models.sh").isRegularFile();
    return p;
  }

  @Test
  void convertedNetworkGivesTheGraphsEmbedding(@TempDir Path dir) throws Exception {
    Path onnx = dir.resolve("mfn.onnx");
    TfliteConverter.convert(tflite(), onnx);
    byte[] first = Files.readAllBytes(onnx);
    TfliteConverter.convert(tflite(), onnx);
    assertThat(Files.readAllBytes(onnx)).as("deterministic: the pack pins the output's sha256").isEqualTo(first);

    BufferedImage chip;
    try (InputStream in = getClass().getResourceAsStream("/dlib/obama-chip-150.png")) {
      chip = ImageIO.read(in);
    }
    int side = 112, off = 19, plane = side * side;
    float[] input = new float[2 * 3 * plane];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int rgb = chip.getRGB(off + x, off + y), mirrored = chip.getRGB(off + side - 1 - x, off + y);
        for (int c = 0; c < 3; c++) {
          int shift = 16 - 8 * c;
          input[c * plane + y * side + x] = (((rgb >> shift) & 255) - 127.5f) / 128f;
          input[3 * plane + c * plane + y * side + x] = (((mirrored >> shift) & 255) - 127.5f) / 128f;
        }
      }
    }
    double[][] expected;
    try (InputStream in = getClass().getResourceAsStream("/tflite/obama-chip-112.numpy.txt")) {
      expected = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
          .map(l -> Arrays.stream(l.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray()).toArray(double[][]::new);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {2, 3, side, side});
        OrtSession.Result r = session.run(Map.of("input", t))) {
      float[][] e = (float[][]) r.get(0).getValue();
      assertThat(e).hasNumberOfRows(2);
      for (int row = 0; row < 2; row++) {
        assertThat(e[row]).hasSize(192);
        double norm = Math.sqrt(Arrays.stream(expected[row]).map(v -> v * v).sum());
        for (int i = 0; i < 192; i++) {
          assertThat((double) e[row][i]).as("row " + row + " value " + i).isCloseTo(expected[row][i], within(1e-4 * norm));
        }
      }
      // The chip and its mirror image are one person to the network.
      assertThat(cosine(e[0], e[1])).isGreaterThan(0.7);
    }
  }

  @Test
  void damagedFilesAreRefused(@TempDir Path dir) throws Exception {
    byte[] whole = Files.readAllBytes(tflite());
    Path truncated = dir.resolve("truncated.tflite");
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> TfliteConverter.convert(truncated, dir.resolve("a.onnx"))).isInstanceOf(IOException.class);
    Random random = new Random(11);
    for (int k = 0; k < 20; k++) { // noise behind a valid identifier: offsets anywhere, lengths of any size
      byte[] noise = new byte[1 << 12];
      random.nextBytes(noise);
      System.arraycopy("TFL3".getBytes(StandardCharsets.US_ASCII), 0, noise, 4, 4);
      Path garbage = dir.resolve("garbage.tflite");
      Files.write(garbage, noise);
      assertThatThrownBy(() -> TfliteConverter.convert(garbage, dir.resolve("b.onnx"))).isInstanceOf(IOException.class);
    }
    Path empty = dir.resolve("empty.tflite");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> TfliteConverter.convert(empty, dir.resolve("c.onnx"))).isInstanceOf(IOException.class)
        .hasMessageContaining("TFL3");
    assertThat(dir.resolve("a.onnx")).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part") || n.endsWith(".onnx"));
    }
  }

  /** The pack converts on first open, pinned by sha256, and opens as a 192-d recogniser. */
  @Test
  void packConvertsOnFirstOpen(@TempDir Path cache) throws Exception {
    Path real = ModelCache.fromEnvironment(System.getenv()).root();
    for (String dep : new String[] {"faceplugin-0.0.1", "yunet-2023mar"}) {
      Files.createSymbolicLink(cache.resolve(dep), real.resolve(dep).toAbsolutePath());
    }
    Path pack = Files.createDirectories(cache.resolve(PACK));
    for (String f : new String[] {"pack.json", "package.json", "MobileFaceNet.tflite"}) {
      Files.copy(real.resolve(PACK).resolve(f), pack.resolve(f));
    }
    var opened = new ModelPackReader().read(pack);
    assertThat(pack.resolve("MobileFaceNet.onnx")).isRegularFile();
    assertThat(opened.recognizer().embeddingSize()).isEqualTo(192);
  }

  private static double cosine(float[] a, float[] b) {
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }
}
