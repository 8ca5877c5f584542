package org.likeness.engine.model.convert;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A TensorFlow Lite model file read as far as a converter needs: the first subgraph's tensors (shape,
 * name, float data of constants), operators (builtin code, inputs, outputs, options) and its input
 * and output. The file is a FlatBuffer of TFLite's {@code schema.fbs} (identifier {@code TFL3}); field
 * numbers below are that schema's. Only float32 tensors (and int32 shapes) are accepted: a quantized
 * network is refused.
 */
record TfliteFile(List<Tensor> tensors, List<Operator> operators, int input, int output) {
  private static final int FLOAT32 = 0, INT32 = 2;
  /** Builtin operator codes used by the converter (schema.fbs {@code BuiltinOperator}). */
  static final int ADD = 0, CONV_2D = 3, DEPTHWISE_CONV_2D = 4, MUL = 18, RELU = 19, RELU6 = 21, RESHAPE = 22,
      SUB = 41, PRELU = 54, ABS = 101;

  /**
   * A tensor: its shape, its name, and its data when it is a float constant (null otherwise). Int32
   * tensors (a reshape's target shape) are read as shapes only: the converter takes shapes from the
   * tensors themselves.
   */
  record Tensor(int[] shape, String name, float[] data) {
    boolean constant() {
      return data != null;
    }
  }

  /**
   * An operator: its builtin code, input and output tensor indexes (-1: absent), and its options table,
   * read by field number through {@link Options}.
   */
  record Operator(int code, int[] inputs, int[] outputs, Options options) {}

  /** An operator's options table; absent fields read as their schema default. */
  static final class Options {
    private final Table table;

    private Options(Table table) {
      this.table = table;
    }

    int intField(int field, int def) {
      return table == null ? def : table.intField(field, def);
    }

    int byteField(int field, int def) {
      return table == null ? def : table.byteField(field, def);
    }
  }

  static TfliteFile read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (b.limit() < 8 || b.get(4) != 'T' || b.get(5) != 'F' || b.get(6) != 'L' || b.get(7) != '3') {
        throw new IOException(file + " is not a TensorFlow Lite model (no TFL3 identifier)");
      }
      Table model = new Table(b, b.getInt(0));
      List<Table> codes = model.tables(1);
      List<Table> buffers = model.tables(4);
      List<Table> subgraphs = model.tables(2);
      if (subgraphs.size() != 1) {
        throw new IOException(file + ": " + subgraphs.size() + " subgraphs, the converter takes one");
      }
      Table graph = subgraphs.get(0);
      List<Tensor> tensors = new ArrayList<>();
      for (Table t : graph.tables(0)) {
        int type = t.byteField(1, 0);
        String name = t.string(3);
        if (type != FLOAT32 && type != INT32) {
          throw new IOException(file + ": tensor " + name + " is of type " + type + ", only float32 and int32 are converted");
        }
        int buffer = t.intField(2, 0);
        ByteBuffer data = buffer > 0 && buffer < buffers.size() ? buffers.get(buffer).bytes(0) : null;
        float[] values = null;
        if (type == FLOAT32 && data != null && data.remaining() > 0) {
          values = new float[data.remaining() / 4];
          data.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        }
        tensors.add(new Tensor(t.ints(0), name, values));
      }
      List<Operator> operators = new ArrayList<>();
      for (Table op : graph.tables(3)) {
        int opcode = op.intField(0, 0);
        if (opcode < 0 || opcode >= codes.size()) {
          throw new IOException(file + ": operator code index " + opcode + " out of range");
        }
        Table code = codes.get(opcode);
        // Codes past 127 live in builtin_code (3); older files carry only the deprecated byte (0).
        int builtin = Math.max(code.intField(3, 0), code.byteField(0, 0));
        operators.add(new Operator(builtin, op.ints(1), op.ints(2), new Options(op.table(4))));
      }
      int[] in = graph.ints(1), out = graph.ints(2);
      if (in.length != 1 || out.length != 1) {
        throw new IOException(file + ": " + in.length + " inputs and " + out.length + " outputs, the converter takes one of each");
      }
      return new TfliteFile(List.copyOf(tensors), List.copyOf(operators), in[0], out[0]);
    } catch (IndexOutOfBoundsException | BufferUnderflowException | IllegalArgumentException e) {
      throw new IOException(file + " is not a readable TensorFlow Lite model: " + e, e);
    }
  }

  /** A FlatBuffer table: a position and the vtable that says where each field lies (0: absent). */
  private record Table(ByteBuffer b, int pos) {
    private int offset(int field) {
      int vtable = pos - b.getInt(pos);
      int size = Short.toUnsignedInt(b.getShort(vtable));
      int at = 4 + 2 * field;
      return at < size ? Short.toUnsignedInt(b.getShort(vtable + at)) : 0;
    }

    int intField(int field, int def) {
      int o = offset(field);
      return o == 0 ? def : b.getInt(pos + o);
    }

    int byteField(int field, int def) {
      int o = offset(field);
      return o == 0 ? def : b.get(pos + o);
    }

    /** Where the object an offset field points to starts, or -1 when the field is absent. */
    private int target(int field) {
      int o = offset(field);
      if (o == 0) {
        return -1;
      }
      int at = pos + o;
      return at + b.getInt(at);
    }

    Table table(int field) {
      int at = target(field);
      return at < 0 ? null : new Table(b, at);
    }

    List<Table> tables(int field) {
      int at = target(field);
      List<Table> out = new ArrayList<>();
      if (at >= 0) {
        int n = count(at, 4);
        for (int k = 0; k < n; k++) {
          int e = at + 4 + 4 * k;
          out.add(new Table(b, e + b.getInt(e)));
        }
      }
      return out;
    }

    int[] ints(int field) {
      int at = target(field);
      if (at < 0) {
        return new int[0];
      }
      int[] out = new int[count(at, 4)];
      for (int k = 0; k < out.length; k++) {
        out[k] = b.getInt(at + 4 + 4 * k);
      }
      return out;
    }

    String string(int field) {
      ByteBuffer s = bytes(field);
      if (s == null) {
        return "";
      }
      byte[] chars = new byte[s.remaining()];
      s.get(chars);
      return new String(chars, java.nio.charset.StandardCharsets.UTF_8);
    }

    ByteBuffer bytes(int field) {
      int at = target(field);
      return at < 0 ? null : b.slice(at + 4, count(at, 1));
    }

    /** A vector's length, checked against the file before anything is allocated for it. */
    private int count(int at, int elementSize) {
      int n = b.getInt(at);
      if (n < 0 || (long) n * elementSize > b.limit() - at - 4L) {
        throw new IndexOutOfBoundsException("vector of " + n + " at " + at + " runs past the end of the file");
      }
      return n;
    }
  }
}
