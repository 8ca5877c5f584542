package org.likeness.engine.embed;

import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.model.InputSpec;
import org.likeness.engine.model.OnnxModel;
import org.likeness.engine.model.Workers;

/**
 * Turns aligned crops into L2-normalised embeddings. A batch is split across the engine's workers,
 * each chunk within the model's largest batch (models exported with a fixed batch of 1 run item by
 * item on the shared session). With several networks (score fusion), each one's unit vector is
 * scaled by the square root of its weight and the parts are concatenated: the dot product of two
 * such embeddings is the weighted sum of the networks' cosines.
 */
public final class FaceEmbedder {
  /** One network, which of a face's crops it reads, and its share of the fused score. */
  public record Part(OnnxModel model, int crop, int dimension, double weight) {}

  private final List<Part> parts;
  private final int dimension;
  private final Workers workers;
  private final boolean flipAverage;

  /** The networks of {@code parts} (weights summing to 1; one network has weight 1), in embedding order. */
  public FaceEmbedder(List<Part> parts, Workers workers) {
    this(parts, workers, false);
  }

  /**
   * As {@link #FaceEmbedder(List, Workers)}; with {@code flipAverage} each network's embedding is
   * the mean of the crop's and its mirror image's (twice the work), a lever measured in
   * docs/BENCHMARKS.md ("Degraded faces"), not a pack's default: a pack's templates never change.
   */
  public FaceEmbedder(List<Part> parts, Workers workers, boolean flipAverage) {
    this.parts = List.copyOf(parts);
    this.dimension = this.parts.stream().mapToInt(Part::dimension).sum();
    this.workers = workers;
    this.flipAverage = flipAverage;
  }

  public int dimension() {
    return dimension;
  }

  /**
   * Embeddings of faces given by their crops (each face's list indexed by {@link Part#crop()}), in
   * order: chunks of the models' largest batch, run concurrently.
   */
  public List<float[]> embedAll(List<List<RgbImage>> crops) {
    int maxBatch = parts.stream().mapToInt(p -> p.model().maxBatch()).min().orElse(1);
    int chunk = Math.max(1, Math.min(maxBatch, (crops.size() + workers.threads() - 1) / workers.threads()));
    List<List<List<RgbImage>>> chunks = new ArrayList<>();
    for (int start = 0; start < crops.size(); start += chunk) {
      chunks.add(crops.subList(start, Math.min(crops.size(), start + chunk)));
    }
    List<float[]> out = new ArrayList<>(crops.size());
    workers.map(chunks, this::embedChunk).forEach(out::addAll);
    return out;
  }

  private List<float[]> embedChunk(List<List<RgbImage>> crops) {
    if (parts.size() == 1) {
      return runPart(parts.get(0), crops);
    }
    int n = crops.size();
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new float[dimension]);
    }
    int offset = 0;
    for (Part p : parts) {
      float scale = (float) Math.sqrt(p.weight());
      List<float[]> own = runPart(p, crops);
      for (int i = 0; i < n; i++) {
        float[] src = own.get(i), dst = out.get(i);
        for (int d = 0; d < p.dimension(); d++) {
          dst[offset + d] = src[d] * scale;
        }
      }
      offset += p.dimension();
    }
    out.forEach(FaceEmbedder::normalize); // the weights sum to 1: this only removes rounding
    return out;
  }

  /** One network's unit embeddings, averaged with the mirror images' when asked. */
  private List<float[]> runPart(Part part, List<List<RgbImage>> crops) {
    List<float[]> plain = run(part, crops);
    if (!flipAverage) {
      return plain;
    }
    List<float[]> mirrored = run(part, crops.stream().map(face -> face.stream().map(FaceEmbedder::mirror).toList()).toList());
    for (int i = 0; i < plain.size(); i++) {
      float[] a = plain.get(i), b = mirrored.get(i);
      for (int d = 0; d < a.length; d++) {
        a[d] += b[d];
      }
      normalize(a);
    }
    return plain;
  }

  /** The crop mirrored left to right. */
  static RgbImage mirror(RgbImage img) {
    int w = img.width(), h = img.height();
    byte[] src = img.pixels(), dst = new byte[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int s = (y * w + x) * 3, t = (y * w + (w - 1 - x)) * 3;
        dst[t] = src[s];
        dst[t + 1] = src[s + 1];
        dst[t + 2] = src[s + 2];
      }
    }
    return new RgbImage(w, h, dst);
  }

  /** One network's unit embeddings of {@code crops}. */
  private static List<float[]> run(Part part, List<List<RgbImage>> crops) {
    OnnxModel model = part.model();
    InputSpec in = model.input();
    int n = crops.size(), dim = part.dimension();
    float[] tensor = new float[n * in.size()];
    for (int i = 0; i < n; i++) {
      in.write(crops.get(i).get(part.crop()), 0, 0, tensor, i * in.size());
    }
    float[] flat = model.run(tensor, n, model.firstOutput())[0];
    if (flat.length != n * dim) {
      throw new IllegalStateException("recogniser returned " + flat.length + " values for " + n + " faces of dimension " + dim);
    }
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] e = new float[dim];
      System.arraycopy(flat, i * dim, e, 0, dim);
      out.add(normalize(e));
    }
    return out;
  }

  /** {@code v} scaled to unit length in place (a zero vector stays zero). */
  public static float[] normalize(float[] v) {
    double sum = 0;
    for (float f : v) {
      sum += (double) f * f;
    }
    if (sum > 0) {
      float inv = (float) (1 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }
}
