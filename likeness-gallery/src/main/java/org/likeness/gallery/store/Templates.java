package org.likeness.gallery.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Template encoding in the store: float32 little-endian, no header (the schema version covers the format). */
public final class Templates {
  private Templates() {}

  /** How far past unit length a stored template may be (float rounding); a longer one would outscore every honest template. */
  private static final double MAX_NORM = 1 + 1e-3;

  /**
   * Refuses ({@link InvalidInputException}) a template no engine makes: a value that is not finite,
   * no direction (all zeros), or longer than unit length. Every template is unit length (each
   * network's part at the square root of its weight), and search scores raw dot products, so a
   * template 50 times longer, from a crafted archive or job output, would name its subject for
   * nearly every face; {@code what} says whose it is in the message.
   */
  public static void requireStorable(float[] t, String what) {
    double norm = 0;
    for (float v : t) {
      if (!Float.isFinite(v)) {
        throw new InvalidInputException(what + ": a template holds a value that is not finite");
      }
      norm += (double) v * v;
    }
    if (!(norm > 0) || Math.sqrt(norm) > MAX_NORM) {
      throw new InvalidInputException(what + ": a template of length " + (float) Math.sqrt(norm)
          + " (an engine's templates are unit length)");
    }
  }

  /** The stored bytes of a template, refused as {@link #requireStorable} says. */
  public static byte[] encode(float[] t) {
    requireStorable(t, "template of " + t.length + " values");
    return bytes(t);
  }

  /** The bytes of a template already stored, unchecked: an export gives what the store holds (an import checks it). */
  public static byte[] bytes(float[] t) {
    ByteBuffer b = ByteBuffer.allocate(t.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(t);
    return b.array();
  }

  public static float[] decode(byte[] bytes) {
    if (bytes.length % 4 != 0) {
      throw new StoreException("corrupt template: " + bytes.length + " bytes");
    }
    float[] t = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(t);
    return t;
  }
}
