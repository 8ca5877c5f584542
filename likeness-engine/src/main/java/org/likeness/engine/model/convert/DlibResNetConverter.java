package org.likeness.engine.model.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.likeness.engine.model.convert.DlibNetFile.Affine;
import org.likeness.engine.model.convert.DlibNetFile.Conv;
import org.likeness.engine.model.convert.DlibNetFile.Dense;
import org.likeness.engine.model.convert.DlibNetFile.Layer;
import org.likeness.engine.model.convert.OnnxWriter.Attr;

/**
 * dlib's face recognition ResNet ({@code dlib_face_recognition_resnet_model_v1.dat}, the network of
 * dlib's {@code dnn_face_recognition_ex.cpp}) as ONNX. Its shape: a 7x7 stride-2 convolution, affine,
 * ReLU and 3x3 stride-2 max pooling; then residual blocks (conv 3x3, affine, ReLU, conv 3x3, affine,
 * added to the block's input, ReLU), a block whose first convolution has stride 2 adding a 2x2
 * average pooling of its input instead; global average pooling; a 128-output dense layer without
 * bias. Each affine is folded into the convolution before it. Where a block's two branches differ
 * in size (more channels, or one row and column fewer), dlib adds them over the larger shape with
 * zeros for what is missing; here both are padded at the end to that shape and then added. Input:
 * {@code [N, 3, 150, 150]} RGB as {@code (v - mean) / 256} with the file's channel means.
 */
public final class DlibResNetConverter {
  /** The chip side the network was trained on. */
  public static final int SIDE = 150;

  private final OnnxWriter onnx = new OnnxWriter("likeness dlib-resnet converter 1");
  private int counter;

  private DlibResNetConverter() {}

  /** Converts {@code dat} into {@code out} (written to a temporary file, then moved into place). */
  public static void convert(Path dat, Path out) throws IOException {
    byte[] model = new DlibResNetConverter().build(DlibNetFile.read(dat));
    // A temporary file of its own beside the target, then a rename: two processes opening the pack at
    // once each write whole files, and a reader never sees half of one.
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), out.getFileName().toString(), ".part");
    try {
      Files.write(tmp, model);
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) { // temporary files are owner-only; a model is not secret
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private byte[] build(DlibNetFile net) throws IOException {
    List<Layer> layers = net.layers();
    if (layers.size() != 59 || !(layers.get(58) instanceof Dense dense)) {
      throw new IOException("not dlib's face recognition ResNet (expected 29 convolutions with affines and a dense layer, found "
          + layers.size() + " layers)");
    }
    int at = 0;
    Shape s = new Shape(3, SIDE);
    String x = "input";
    // Stem: conv 7x7/2, affine, ReLU, max pool 3x3/2.
    x = conv(x, conv(layers, at), affine(layers, at + 1), s);
    s = s.after(conv(layers, at));
    at += 2;
    x = op("Relu", List.of(x));
    x = op("MaxPool", List.of(x), new Attr("kernel_shape", new long[] {3, 3}), new Attr("strides", new long[] {2, 2}));
    s = new Shape(s.channels, (s.side - 3) / 2 + 1);
    while (at < 58) {
      Conv c1 = conv(layers, at), c2 = conv(layers, at + 2);
      String branch = conv(x, c1, affine(layers, at + 1), s);
      Shape mid = s.after(c1);
      branch = op("Relu", List.of(branch));
      branch = conv(branch, c2, affine(layers, at + 3), mid);
      Shape b = mid.after(c2);
      at += 4;
      String skip = x;
      Shape k = s;
      if (c1.strideY() == 2) {
        skip = op("AveragePool", List.of(x), new Attr("kernel_shape", new long[] {2, 2}), new Attr("strides", new long[] {2, 2}));
        k = new Shape(s.channels, (s.side - 2) / 2 + 1);
      } else if (c1.strideY() != 1) {
        throw new IOException("unexpected stride " + c1.strideY());
      }
      Shape sum = new Shape(Math.max(b.channels, k.channels), Math.max(b.side, k.side));
      x = op("Relu", List.of(op("Add", List.of(pad(branch, b, sum), pad(skip, k, sum)))));
      s = sum;
    }
    x = op("GlobalAveragePool", List.of(x));
    x = op("Flatten", List.of(x));
    if (dense.inputs() != s.channels) {
      throw new IOException("dense layer takes " + dense.inputs() + " inputs, the network gives " + s.channels);
    }
    String w = name("dense");
    onnx.initializer(w, new long[] {dense.inputs(), dense.outputs()}, dense.weights());
    onnx.node("MatMul", List.of(x, w), "embedding");
    return onnx.model("dlib_face_recognition_resnet_v1", "input", new long[] {-1, 3, SIDE, SIDE}, "embedding",
        new long[] {-1, dense.outputs()});
  }

  /** Channels and side of a square activation. */
  private record Shape(int channels, int side) {
    Shape after(Conv c) {
      return new Shape(c.outChannels(), (side + 2 * c.padY() - c.rows()) / c.strideY() + 1);
    }
  }

  /** The convolution with the affine after it folded in: w' = w * gamma, b' = b * gamma + beta. */
  private String conv(String in, Conv c, Affine a, Shape s) throws IOException {
    if (c.inChannels() != s.channels || a.gamma().length != c.outChannels() || c.rows() != c.cols()
        || c.strideX() != c.strideY() || c.padX() != c.padY()) {
      throw new IOException("convolution does not fit the network: " + c.inChannels() + " inputs for " + s.channels);
    }
    int per = c.inChannels() * c.rows() * c.cols();
    float[] w = c.filters().clone();
    float[] b = new float[c.outChannels()];
    for (int o = 0; o < c.outChannels(); o++) {
      for (int i = 0; i < per; i++) {
        w[o * per + i] *= a.gamma()[o];
      }
      b[o] = c.biases()[o] * a.gamma()[o] + a.beta()[o];
    }
    String wn = name("w"), bn = name("b");
    onnx.initializer(wn, new long[] {c.outChannels(), c.inChannels(), c.rows(), c.cols()}, w);
    onnx.initializer(bn, new long[] {c.outChannels()}, b);
    long p = c.padY();
    return op("Conv", List.of(in, wn, bn), new Attr("kernel_shape", new long[] {c.rows(), c.cols()}),
        new Attr("strides", new long[] {c.strideY(), c.strideX()}), new Attr("pads", new long[] {p, p, p, p}));
  }

  /** {@code in} of shape {@code from} zero-padded at the end of channels, rows and columns to {@code to}. */
  private String pad(String in, Shape from, Shape to) {
    if (from.equals(to)) {
      return in;
    }
    String pads = name("pads");
    int dc = to.channels - from.channels, ds = to.side - from.side;
    onnx.initializer(pads, new long[] {8}, new long[] {0, 0, 0, 0, 0, dc, ds, ds});
    return op("Pad", List.of(in, pads));
  }

  private String op(String type, List<String> inputs, Attr... attrs) {
    String out = name(type.toLowerCase(Locale.ROOT));
    onnx.node(type, inputs, out, attrs);
    return out;
  }

  private String name(String prefix) {
    return prefix + "_" + (counter++);
  }

  private static Conv conv(List<Layer> layers, int i) throws IOException {
    if (!(layers.get(i) instanceof Conv c)) {
      throw new IOException("layer " + i + " is not a convolution");
    }
    return c;
  }

  private static Affine affine(List<Layer> layers, int i) throws IOException {
    if (!(layers.get(i) instanceof Affine a)) {
      throw new IOException("layer " + i + " is not an affine");
    }
    return a;
  }
}
