package org.likeness.gallery.search;

/**
 * Symmetric per-vector int8 quantisation: each component becomes a byte, value = byte x scale,
 * scale = max |component| / 127. One place, so templates and probes are quantised alike (the
 * gallery's int8 scan and re-clustering's neighbour graph). Expert.
 */
public final class Int8Quantizer {
  private Int8Quantizer() {}

  /** Quantises {@code v} into {@code out}; returns the scale. */
  public static float quantize(float[] v, byte[] out) {
    float max = 0;
    for (float f : v) {
      max = Math.max(max, Math.abs(f));
    }
    float scale = max == 0 ? 1 : max / 127f;
    for (int d = 0; d < v.length; d++) {
      out[d] = (byte) Math.round(v[d] / scale);
    }
    return scale;
  }
}
