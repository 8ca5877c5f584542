package org.likeness.engine.model;

import java.util.List;

/**
 * How a pack's embedding is laid out: one part per network, each its network's unit vector scaled
 * by the square root of the network's weight (a single network is one part of weight 1). It turns a
 * sum of such embeddings (a track's faces, weighted) into a template made the way one face's
 * embedding is: each part back to the length of its weight. Normalising the whole vector instead
 * would let the network whose embeddings agree most keep most of its length in the sum (dlib's share
 * a large common component) and outweigh the others, so a template's scores would drift away from
 * the pack's calibration: on LFW pseudo-tracks the default pack's mean templates named 22 % of
 * strangers at FMR 1e-5 that way, 6.5 % made part by part (docs/BENCHMARKS.md, track aggregation).
 *
 * @param parts the networks' parts, in embedding order
 */
public record EmbeddingLayout(List<Part> parts) implements java.io.Serializable {
  /** One network's part: its length in the embedding and its share of the fused score. */
  public record Part(int dimension, double weight) implements java.io.Serializable {}

  public EmbeddingLayout {
    parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("an embedding has at least one part");
    }
  }

  /** One network's plain unit embedding of {@code dimension} values. */
  public static EmbeddingLayout single(int dimension) {
    return new EmbeddingLayout(List.of(new Part(dimension, 1)));
  }

  /** The embedding's length: the parts' total. */
  public int dimension() {
    return parts.stream().mapToInt(Part::dimension).sum();
  }

  /**
   * A template from {@code sum}, a (weighted) sum of embeddings of this layout: each part scaled to
   * the square root of its weight, so the template is unit length and its dot product with an
   * embedding is the weighted sum of the networks' cosines. A part that sums to zero stays zero.
   */
  public float[] template(double[] sum) {
    if (sum.length != dimension()) {
      throw new IllegalArgumentException("a sum of " + sum.length + " values for embeddings of " + dimension());
    }
    float[] t = new float[sum.length];
    int offset = 0;
    for (Part p : parts) {
      double norm = 0;
      for (int d = offset; d < offset + p.dimension(); d++) {
        norm += sum[d] * sum[d];
      }
      double scale = norm > 0 ? Math.sqrt(p.weight() / norm) : 0;
      for (int d = offset; d < offset + p.dimension(); d++) {
        t[d] = (float) (sum[d] * scale);
      }
      offset += p.dimension();
    }
    return t;
  }
}
