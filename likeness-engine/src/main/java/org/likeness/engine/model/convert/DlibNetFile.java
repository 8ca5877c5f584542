package org.likeness.engine.model.convert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The learned layers of a dlib DNN file ({@code serialize(net)}), in input-to-output order: the
 * input layer's channel means, each {@code con_} (filters and biases), each {@code affine_} (per
 * channel scale and shift) and each {@code fc_}. dlib writes a network innermost first, each layer's
 * details opening with its version string ({@code "con_4"}, {@code "affine_"}, {@code "fc_2"}), so
 * the reader walks the file from one such string to the next and parses what follows it; the
 * parameter-free layers (ReLU, pooling, residual adds, tags) carry nothing to read, and the network
 * they form is given by the converter. Integers are dlib's packed form (a length byte, sign in bit
 * 7, little-endian bytes); tensors are four packed dimensions and little-endian floats.
 */
public final class DlibNetFile {

  /** A layer with learned parameters. */
  public sealed interface Layer permits Conv, Affine, Dense {}

  /** A convolution: {@code filters} is [out][in][rows][cols] flattened, as ONNX's OIHW. */
  public record Conv(int outChannels, int inChannels, int rows, int cols, int strideY, int strideX, int padY, int padX,
      float[] filters, float[] biases) implements Layer {}

  /** Per-channel {@code gamma * x + beta}. */
  public record Affine(float[] gamma, float[] beta) implements Layer {}

  /** A fully connected layer without bias: {@code weights} is [inputs][outputs] flattened. */
  public record Dense(int inputs, int outputs, float[] weights) implements Layer {}

  private final List<Layer> layers;
  private final float[] channelMeans;

  private DlibNetFile(List<Layer> layers, float[] channelMeans) {
    this.layers = List.copyOf(layers);
    this.channelMeans = channelMeans;
  }

  /** The learned layers, input first: {@link Conv}, {@link Affine} and {@link Dense} values. */
  public List<Layer> layers() {
    return layers;
  }

  /** The input layer's red, green and blue means (pixels enter as {@code (v - mean) / 256}). */
  public float[] channelMeans() {
    return channelMeans.clone();
  }

  /** Reads {@code file}; refuses layer versions it does not know. */
  public static DlibNetFile read(Path file) throws IOException {
    return parse(Files.readAllBytes(file));
  }

  static DlibNetFile parse(byte[] bytes) throws IOException {
    Cursor in = new Cursor(bytes);
    List<Layer> layers = new ArrayList<>();
    float[] means = null;
    int pos = 0;
    while (true) {
      Marker m = next(bytes, pos);
      if (m == null) {
        break;
      }
      in.at = m.end;
      switch (m.name) {
        case "input_rgb_image_sized" -> means = new float[] {(float) in.real(), (float) in.real(), (float) in.real()};
        case "con_4", "con_5" -> layers.add(conv(in, m.name.equals("con_5")));
        case "affine_", "affine_2" -> layers.add(affine(in));
        case "fc_2", "fc_3" -> layers.add(dense(in));
        default -> throw new IOException("dlib layer version '" + m.name + "' is not supported");
      }
      pos = in.at;
    }
    if (means == null || layers.isEmpty()) {
      throw new IOException("not a dlib network with an RGB input layer");
    }
    return new DlibNetFile(layers, means);
  }

  private static Conv conv(Cursor in, boolean v5) throws IOException {
    float[] params = in.tensor();
    int filters = (int) in.integer();
    int rows = (int) in.integer(), cols = (int) in.integer();
    int strideY = (int) in.integer(), strideX = (int) in.integer();
    int padY = (int) in.integer(), padX = (int) in.integer();
    long[] f = in.aliasShape();
    in.aliasShape(); // biases: one per filter
    in.real();
    in.real();
    in.real();
    in.real();
    if (v5) {
      in.bool();
    }
    int inChannels = (int) f[1];
    int weights = filters * inChannels * rows * cols;
    if (f[0] != filters || f[2] != rows || f[3] != cols || params.length < weights) {
      throw new IOException("con_ layer with inconsistent shapes");
    }
    float[] w = Arrays.copyOfRange(params, 0, weights);
    float[] b = params.length >= weights + filters ? Arrays.copyOfRange(params, weights, weights + filters)
        : new float[filters];
    return new Conv(filters, inChannels, rows, cols, strideY, strideX, padY, padX, w, b);
  }

  private static Affine affine(Cursor in) throws IOException {
    float[] params = in.tensor();
    long[] g = in.aliasShape();
    in.aliasShape();
    int mode = (int) in.integer();
    int k = (int) (g[0] * g[1] * g[2] * g[3]);
    if (params.length != 2 * k || mode != 0) { // CONV_MODE: one gamma and beta per channel
      throw new IOException("affine_ layer that is not per channel");
    }
    return new Affine(Arrays.copyOfRange(params, 0, k), Arrays.copyOfRange(params, k, 2 * k));
  }

  private static Dense dense(Cursor in) throws IOException {
    int outputs = (int) in.integer(), inputs = (int) in.integer();
    float[] params = in.tensor();
    in.aliasShape();
    in.aliasShape();
    int biasMode = (int) in.integer();
    if (biasMode != 1 || params.length != inputs * outputs) { // FC_NO_BIAS
      throw new IOException("fc_ layer with a bias is not supported");
    }
    return new Dense(inputs, outputs, params);
  }

  private record Marker(String name, int end) {}

  /** The next version string of a known layer at or after {@code from}, as dlib writes a string: packed length, bytes. */
  private static Marker next(byte[] b, int from) {
    String[] names = {"input_rgb_image_sized", "con_4", "con_5", "affine_2", "affine_", "fc_2", "fc_3"};
    for (int i = from; i + 2 < b.length; i++) {
      if (b[i] != 1) {
        continue;
      }
      int len = b[i + 1] & 0xff;
      if (len < 4 || len > 21 || i + 2 + len > b.length) {
        continue;
      }
      String s = new String(b, i + 2, len, StandardCharsets.ISO_8859_1);
      for (String n : names) {
        if (n.equals(s)) {
          return new Marker(n, i + 2 + len);
        }
      }
    }
    return null;
  }

  /** dlib's primitive encodings over a byte array. */
  private static final class Cursor {
    private final byte[] b;
    private int at;

    Cursor(byte[] b) {
      this.b = b;
    }

    long integer() throws IOException {
      if (at >= b.length) {
        throw new IOException("truncated dlib file");
      }
      int head = b[at++] & 0xff;
      int size = head & 0x0f;
      if (size == 0 || size > 8 || at + size > b.length) {
        throw new IOException("bad integer in dlib file at byte " + (at - 1));
      }
      long v = 0;
      for (int i = size - 1; i >= 0; i--) {
        v = (v << 8) | (b[at + i] & 0xff);
      }
      at += size;
      return (head & 0x80) != 0 ? -v : v;
    }

    /** dlib's float_details: a packed mantissa and a packed exponent, value = m * 2^e. */
    double real() throws IOException {
      long mantissa = integer();
      long exponent = integer();
      return mantissa * Math.pow(2, exponent);
    }

    boolean bool() throws IOException {
      return b[at++] == (byte) '1';
    }

    float[] tensor() throws IOException {
      if (integer() != 2) {
        throw new IOException("unsupported dlib tensor version");
      }
      long n = integer() * integer() * integer() * integer();
      if (n < 0 || at + 4 * n > b.length) {
        throw new IOException("truncated dlib tensor");
      }
      float[] out = new float[(int) n];
      ByteBuffer.wrap(b, at, (int) (4 * n)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      at += (int) (4 * n);
      return out;
    }

    long[] aliasShape() throws IOException {
      if (integer() != 1) {
        throw new IOException("unsupported dlib alias tensor version");
      }
      return new long[] {integer(), integer(), integer(), integer()};
    }
  }
}
