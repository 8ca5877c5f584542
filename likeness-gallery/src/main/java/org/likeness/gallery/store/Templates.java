package org.likeness.gallery.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Template encoding in the store: float32 little-endian, no header (the schema version covers the format). */
public final class Templates {
  private Templates() {}

  public static byte[] encode(float[] t) {
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
