package org.likeness.engine.model.convert;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal ONNX model writer: float initializers, nodes with int, ints and float attributes, one
 * float input and one float output, written as {@code onnx.proto}'s ModelProto (IR version 8, the
 * default opset 13). Field numbers are those of onnx.proto; the same graph always gives the same
 * bytes, so a converted file can be pinned by its sha256.
 */
public final class OnnxWriter {
  private static final int IR_VERSION = 8;
  private static final int OPSET = 13;
  private static final int FLOAT = 1;
  private static final int INT64 = 7;

  /** An attribute value: {@code Long}, {@code long[]} or {@code Float}. */
  public record Attr(String name, Object value) {}

  private final List<ByteString> nodes = new ArrayList<>();
  private final List<ByteString> initializers = new ArrayList<>();
  private final String producer;

  public OnnxWriter(String producer) {
    this.producer = producer;
  }

  /** A float tensor constant. */
  public void initializer(String name, long[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    initializer(name, dims, FLOAT, raw.array());
  }

  /** An int64 tensor constant (shapes and pads). */
  public void initializer(String name, long[] dims, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    initializer(name, dims, INT64, raw.array());
  }

  /** TensorProto: dims, data_type, name, raw_data (little-endian). */
  private void initializer(String name, long[] dims, int type, byte[] raw) {
    initializers.add(message(out -> {
      for (long d : dims) {
        out.writeInt64(1, d);
      }
      out.writeInt32(2, type);
      out.writeString(8, name);
      out.writeBytes(9, ByteString.copyFrom(raw));
    }));
  }

  /** A node {@code op(inputs) -> output}. */
  public void node(String op, List<String> inputs, String output, Attr... attrs) {
    nodes.add(message(out -> {
      for (String i : inputs) {
        out.writeString(1, i);
      }
      out.writeString(2, output);
      out.writeString(3, output);
      out.writeString(4, op);
      for (Attr a : attrs) {
        out.writeBytes(5, attribute(a));
      }
    }));
  }

  /** The model's bytes: graph {@code name} from {@code input} [dims] to {@code output} [dims]; -1 is a free dimension. */
  public byte[] model(String name, String input, long[] inputDims, String output, long[] outputDims) {
    ByteString graph = message(out -> {
      for (ByteString n : nodes) {
        out.writeBytes(1, n);
      }
      out.writeString(2, name);
      for (ByteString t : initializers) {
        out.writeBytes(5, t);
      }
      out.writeBytes(11, valueInfo(input, inputDims));
      out.writeBytes(12, valueInfo(output, outputDims));
    });
    return message(out -> {
      out.writeInt64(1, IR_VERSION);
      out.writeString(2, producer);
      out.writeBytes(7, graph);
      out.writeBytes(8, message(o -> o.writeInt64(2, OPSET)));
    }).toByteArray();
  }

  private static ByteString attribute(Attr a) {
    return message(out -> {
      out.writeString(1, a.name());
      switch (a.value()) {
        case Float f -> {
          out.writeFloat(2, f);
          out.writeInt32(20, 1); // FLOAT
        }
        case Long l -> {
          out.writeInt64(3, l);
          out.writeInt32(20, 2); // INT
        }
        case long[] ls -> {
          for (long l : ls) {
            out.writeInt64(8, l);
          }
          out.writeInt32(20, 7); // INTS
        }
        default -> throw new IllegalArgumentException("attribute type " + a.value().getClass());
      }
    });
  }

  private static ByteString valueInfo(String name, long[] dims) {
    ByteString shape = message(out -> {
      for (long d : dims) {
        out.writeBytes(1, message(o -> {
          if (d >= 0) {
            o.writeInt64(1, d);
          } else {
            o.writeString(2, "N");
          }
        }));
      }
    });
    ByteString tensor = message(out -> {
      out.writeInt32(1, FLOAT);
      out.writeBytes(2, shape);
    });
    return message(out -> {
      out.writeString(1, name);
      out.writeBytes(2, message(o -> o.writeBytes(1, tensor)));
    });
  }

  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static ByteString message(Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return ByteString.copyFrom(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
