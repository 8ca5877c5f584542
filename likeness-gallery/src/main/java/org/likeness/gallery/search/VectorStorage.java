package org.likeness.gallery.search;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.lucene.util.VectorUtil;

/**
 * The templates of an index, each in float and in int8 with its scale, in dense slots (a removal
 * moves the last slot into the hole). Keeps an order-independent fingerprint of the set held. Not
 * thread-safe: {@link TemplateIndex} guards it with its lock.
 */
final class VectorStorage {
  private final int dimension;
  private final List<float[]> vectors = new ArrayList<>();
  private final List<byte[]> codes = new ArrayList<>();
  private float[] scales = new float[1024];
  private long[] ids = new long[1024];
  private final Map<Long, Integer> slot = new HashMap<>();
  /** Sum of per-template hashes: identifies the exact set of templates held. */
  private long fingerprint;

  VectorStorage(int dimension) {
    this.dimension = dimension;
  }

  int dimension() {
    return dimension;
  }

  int size() {
    return vectors.size();
  }

  boolean contains(long faceId) {
    return slot.containsKey(faceId);
  }

  /** Whether {@code faceId} is held with exactly this template. */
  boolean holds(long faceId, float[] template) {
    Integer i = slot.get(faceId);
    return i != null && Arrays.equals(vectors.get(i), template);
  }

  /** Stores a template under an id not held yet. */
  void put(long faceId, float[] template) {
    int i = vectors.size();
    if (i == ids.length) {
      ids = Arrays.copyOf(ids, ids.length * 2);
      scales = Arrays.copyOf(scales, scales.length * 2);
    }
    ids[i] = faceId;
    vectors.add(template);
    byte[] q = new byte[dimension];
    scales[i] = Int8Quantizer.quantize(template, q);
    codes.add(q);
    slot.put(faceId, i);
    fingerprint += hash(faceId, template);
  }

  /** Removes a template; returns whether it was held. */
  boolean remove(long faceId) {
    Integer i = slot.remove(faceId);
    if (i == null) {
      return false;
    }
    fingerprint -= hash(faceId, vectors.get(i));
    int last = vectors.size() - 1;
    if (i != last) { // move the last entry into the hole
      vectors.set(i, vectors.get(last));
      codes.set(i, codes.get(last));
      scales[i] = scales[last];
      ids[i] = ids[last];
      slot.put(ids[i], i);
    }
    vectors.remove(last);
    codes.remove(last);
    return true;
  }

  long id(int slot) {
    return ids[slot];
  }

  float[] vector(int slot) {
    return vectors.get(slot);
  }

  byte[] code(int slot) {
    return codes.get(slot);
  }

  float scale(int slot) {
    return scales[slot];
  }

  /** Copies of the ids and vectors held, slot by slot (a build snapshot). */
  long[] ids() {
    return Arrays.copyOf(ids, vectors.size());
  }

  List<float[]> vectors() {
    return List.copyOf(vectors);
  }

  /** Count and content hash of the set held, e.g. {@code "1000:3fa2…"}. */
  String fingerprint() {
    return vectors.size() + ":" + Long.toHexString(fingerprint);
  }

  /** The candidates still held, scored exactly against {@code probe}: the k best, best first. */
  List<Hit> rescore(float[] probe, Iterable<Long> candidates, int k) {
    TopK top = new TopK(k);
    for (long id : candidates) {
      Integer i = slot.get(id);
      if (i != null) {
        top.offer(id, VectorUtil.dotProduct(probe, vectors.get(i)));
      }
    }
    return top.sorted();
  }

  private static long hash(long faceId, float[] t) {
    CRC32C crc = new CRC32C();
    ByteBuffer b = ByteBuffer.allocate(t.length * 4);
    b.asFloatBuffer().put(t);
    crc.update(b.array());
    long h = (crc.getValue() << 32) ^ faceId;
    h ^= h >>> 33; // murmur3 finaliser: spreads bits so sums of hashes do not cancel by accident
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
