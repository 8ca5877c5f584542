package org.likeness.engine.model.convert;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.likeness.engine.model.convert.OnnxWriter.Attr;
import org.likeness.engine.model.convert.TfliteFile.Operator;
import org.likeness.engine.model.convert.TfliteFile.Tensor;

/**
 * A float TensorFlow Lite convolutional network as ONNX, for the operators a face recogniser such as
 * MobileFaceNet is made of: 2-D and depthwise convolutions (with their fused ReLU or ReLU6), element-wise
 * add, subtract and multiply (of two activations, or of an activation and a per-channel or scalar
 * constant), ReLU, ReLU6, PReLU, absolute value, and a final reshape of a 1x1 map into a vector.
 * TFLite is channels-last; the ONNX graph is channels-first ({@code [N, C, H, W]}), so weights and
 * per-channel constants are laid out again, and TensorFlow's SAME padding becomes explicit pads (the
 * extra row or column at the end, as TensorFlow places it). The batch dimension becomes free. Any
 * other operator is refused by name.
 */
public final class TfliteConverter {
  private final OnnxWriter onnx = new OnnxWriter("likeness tflite converter 1");
  private final TfliteFile net;
  private final String[] names;
  private int counter;

  private TfliteConverter(TfliteFile net) {
    this.net = net;
    this.names = new String[net.tensors().size()];
  }

  /** Converts {@code tflite} into {@code out} (written whole, then moved into place). */
  public static void convert(Path tflite, Path out) throws IOException {
    TfliteFile net = TfliteFile.read(tflite);
    byte[] model;
    try {
      model = new TfliteConverter(net).build();
    } catch (IndexOutOfBoundsException e) { // a tensor index or shape the graph does not hold
      throw new IOException(tflite + " is not a network the converter takes: " + e.getMessage(), e);
    }
    ConvertedModel.write(out, model);
  }

  private byte[] build() throws IOException {
    Tensor input = net.tensors().get(net.input());
    Tensor output = net.tensors().get(net.output());
    if (input.shape().length != 4 || output.shape().length != 2) {
      throw new IOException("expected an image input [N, H, W, C] and a vector output [N, D], found "
          + List.of(input.shape().length, output.shape().length) + " dimensions");
    }
    names[net.input()] = "input";
    for (Operator op : net.operators()) {
      convert(op);
    }
    onnx.node("Identity", List.of(activation(net.output())), "embedding");
    int[] in = input.shape();
    return onnx.model("tflite", "input", new long[] {-1, in[3], in[1], in[2]}, "embedding",
        new long[] {-1, output.shape()[1]});
  }

  private void convert(Operator op) throws IOException {
    String result = switch (op.code()) {
      case TfliteFile.CONV_2D -> conv(op, false);
      case TfliteFile.DEPTHWISE_CONV_2D -> conv(op, true);
      case TfliteFile.ADD -> activation(binary("Add", op), op.options().byteField(0, 0), op);
      case TfliteFile.SUB -> activation(binary("Sub", op), op.options().byteField(0, 0), op);
      case TfliteFile.MUL -> activation(binary("Mul", op), op.options().byteField(0, 0), op);
      case TfliteFile.RELU -> op("relu", "Relu", List.of(activation(op.inputs()[0])));
      case TfliteFile.RELU6 -> relu6(activation(op.inputs()[0]));
      case TfliteFile.ABS -> op("abs", "Abs", List.of(activation(op.inputs()[0])));
      case TfliteFile.PRELU -> op("prelu", "PRelu", List.of(activation(op.inputs()[0]),
          perChannel(op.inputs()[1], channels(op.inputs()[0]))));
      case TfliteFile.RESHAPE -> flatten(op);
      default -> throw new IOException("TFLite operator " + op.code() + " is not converted");
    };
    names[op.outputs()[0]] = result;
  }

  /** A convolution: weights [O, kh, kw, I] (depthwise: [1, kh, kw, C]) to ONNX's [O, I, kh, kw]. */
  private String conv(Operator op, boolean depthwise) throws IOException {
    Tensor in = net.tensors().get(op.inputs()[0]);
    Tensor w = constant(op.inputs()[1]);
    Tensor out = net.tensors().get(op.outputs()[0]);
    int[] ws = w.shape();
    int kh = ws[1], kw = ws[2];
    int outChannels = depthwise ? ws[3] : ws[0], inPerGroup = depthwise ? 1 : ws[3];
    float[] weights = new float[w.data().length];
    for (int o = 0; o < outChannels; o++) {
      for (int i = 0; i < inPerGroup; i++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) {
            float v = depthwise ? w.data()[(y * kw + x) * outChannels + o] : w.data()[((o * kh + y) * kw + x) * inPerGroup + i];
            weights[((o * inPerGroup + i) * kh + y) * kw + x] = v;
          }
        }
      }
    }
    // Options: padding, stride_w, stride_h, then (depthwise) depth_multiplier, fused activation, dilations.
    int padding = op.options().byteField(0, 0);
    int sw = op.options().intField(1, 1), sh = op.options().intField(2, 1);
    int act = op.options().byteField(depthwise ? 4 : 3, 0);
    int dw = op.options().intField(depthwise ? 5 : 4, 1), dh = op.options().intField(depthwise ? 6 : 5, 1);
    String wn = name("w"), bn = name("b");
    onnx.initializer(wn, new long[] {outChannels, inPerGroup, kh, kw}, weights);
    List<String> inputs = new ArrayList<>(List.of(activation(op.inputs()[0]), wn));
    if (op.inputs().length > 2 && op.inputs()[2] >= 0) {
      onnx.initializer(bn, new long[] {outChannels}, constant(op.inputs()[2]).data());
      inputs.add(bn);
    }
    int[] pads = padding == 0
        ? new int[] {same(in.shape()[1], out.shape()[1], kh, sh, dh), same(in.shape()[2], out.shape()[2], kw, sw, dw)}
        : new int[] {0, 0};
    int ph = pads[0], pw = pads[1];
    String conv = op(depthwise ? "conv_dw" : "conv", "Conv", inputs,
        new Attr("kernel_shape", new long[] {kh, kw}), new Attr("strides", new long[] {sh, sw}),
        new Attr("dilations", new long[] {dh, dw}), new Attr("group", (long) (depthwise ? in.shape()[3] : 1)),
        new Attr("pads", new long[] {ph / 2, pw / 2, ph - ph / 2, pw - pw / 2}));
    return activation(conv, act, op);
  }

  /** TensorFlow's SAME padding in one dimension: all that is needed, the odd one at the end. */
  private static int same(int in, int out, int k, int stride, int dilation) {
    return Math.max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0);
  }

  private String binary(String type, Operator op) throws IOException {
    int a = op.inputs()[0], b = op.inputs()[1];
    Tensor ta = net.tensors().get(a), tb = net.tensors().get(b);
    if (ta.constant() && tb.constant()) {
      throw new IOException(type + " of two constants");
    }
    String left = ta.constant() ? perChannel(a, channels(b)) : activation(a);
    String right = tb.constant() ? perChannel(b, channels(a)) : activation(b);
    return op(type.toLowerCase(Locale.ROOT), type, List.of(left, right));
  }

  /** A fused activation after {@code x}: 0 none, 1 ReLU, 3 ReLU6 (schema.fbs ActivationFunctionType). */
  private String activation(String x, int fused, Operator op) throws IOException {
    return switch (fused) {
      case 0 -> x;
      case 1 -> op("relu", "Relu", List.of(x));
      case 3 -> relu6(x);
      default -> throw new IOException("fused activation " + fused + " of operator " + op.code() + " is not converted");
    };
  }

  private String relu6(String x) {
    String lo = name("zero"), hi = name("six");
    onnx.initializer(lo, new long[] {}, new float[] {0f});
    onnx.initializer(hi, new long[] {}, new float[] {6f});
    return op("relu6", "Clip", List.of(x, lo, hi));
  }

  private String flatten(Operator op) throws IOException {
    int[] s = net.tensors().get(op.inputs()[0]).shape();
    if (s.length != 4 || s[1] != 1 || s[2] != 1) {
      throw new IOException("only a reshape of a 1x1 map into a vector is converted, not of " + java.util.Arrays.toString(s));
    }
    return op("flatten", "Flatten", List.of(activation(op.inputs()[0])));
  }

  /** A constant of C values (any shape [1, ..., C]) or one, as a [C, 1, 1] or [1] initializer. */
  private String perChannel(int index, int channels) throws IOException {
    Tensor c = constant(index);
    String n = name("k");
    if (c.data().length == 1) {
      onnx.initializer(n, new long[] {1}, c.data());
    } else if (c.data().length == channels) {
      onnx.initializer(n, new long[] {channels, 1, 1}, c.data());
    } else {
      throw new IOException("constant " + c.name() + " of " + c.data().length + " values for " + channels + " channels");
    }
    return n;
  }

  private int channels(int tensor) {
    int[] s = net.tensors().get(tensor).shape();
    return s[s.length - 1];
  }

  private Tensor constant(int index) throws IOException {
    Tensor t = net.tensors().get(index);
    if (!t.constant()) {
      throw new IOException("tensor " + t.name() + " should be a constant");
    }
    return t;
  }

  private String activation(int index) throws IOException {
    String n = names[index];
    if (n == null) {
      throw new IOException("tensor " + net.tensors().get(index).name() + " is used before it is computed");
    }
    return n;
  }

  private String op(String prefix, String type, List<String> inputs, Attr... attrs) {
    String out = name(prefix);
    onnx.node(type, inputs, out, attrs);
    return out;
  }

  private String name(String prefix) {
    return prefix + "_" + (counter++);
  }
}
