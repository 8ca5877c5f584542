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
 * item on the shared session).
 */
public final class FaceEmbedder {
  private final OnnxModel model;
  private final int dimension;
  private final Workers workers;

  public FaceEmbedder(OnnxModel model, int dimension, Workers workers) {
    this.model = model;
    this.dimension = dimension;
    this.workers = workers;
  }

  public int dimension() {
    return dimension;
  }

  /** Embedding of one aligned crop. */
  public float[] embed(RgbImage aligned) {
    return embedAll(List.of(aligned)).get(0);
  }

  /** Embeddings of aligned crops, in order: chunks of the model's largest batch, run concurrently. */
  public List<float[]> embedAll(List<RgbImage> aligned) {
    int chunk = Math.max(1, Math.min(model.maxBatch(), (aligned.size() + workers.threads() - 1) / workers.threads()));
    List<List<RgbImage>> chunks = new ArrayList<>();
    for (int start = 0; start < aligned.size(); start += chunk) {
      chunks.add(aligned.subList(start, Math.min(aligned.size(), start + chunk)));
    }
    List<float[]> out = new ArrayList<>(aligned.size());
    workers.map(chunks, this::embedChunk).forEach(out::addAll);
    return out;
  }

  private List<float[]> embedChunk(List<RgbImage> crops) {
    InputSpec in = model.input();
    int n = crops.size();
    float[] tensor = new float[n * in.size()];
    for (int i = 0; i < n; i++) {
      in.write(crops.get(i), 0, 0, tensor, i * in.size());
    }
    float[] flat = model.run(tensor, n, model.firstOutput())[0];
    if (flat.length != n * dimension) {
      throw new IllegalStateException("recogniser returned " + flat.length + " values for " + n + " faces of dimension " + dimension);
    }
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] e = new float[dimension];
      System.arraycopy(flat, i * dimension, e, 0, dimension);
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
