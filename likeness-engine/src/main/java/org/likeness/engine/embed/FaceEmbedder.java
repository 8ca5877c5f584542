package org.likeness.engine.embed;

import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.model.InputSpec;
import org.likeness.engine.model.OnnxModel;

/**
 * Turns aligned crops into L2-normalised embeddings. Batches go through the model in chunks of its
 * largest batch (models exported with a fixed batch of 1 run item by item on the shared session).
 */
public final class FaceEmbedder {
  private final OnnxModel model;
  private final int dimension;

  public FaceEmbedder(OnnxModel model, int dimension) {
    this.model = model;
    this.dimension = dimension;
  }

  public int dimension() {
    return dimension;
  }

  /** Embedding of one aligned crop. */
  public float[] embed(RgbImage aligned) {
    return embedAll(List.of(aligned)).get(0);
  }

  /** Embeddings of aligned crops, in order. */
  public List<float[]> embedAll(List<RgbImage> aligned) {
    InputSpec in = model.input();
    List<float[]> out = new ArrayList<>(aligned.size());
    int chunk = Math.min(model.maxBatch(), Math.max(1, aligned.size()));
    float[] tensor = new float[chunk * in.size()];
    for (int start = 0; start < aligned.size(); start += chunk) {
      int n = Math.min(chunk, aligned.size() - start);
      for (int i = 0; i < n; i++) {
        in.write(aligned.get(start + i), 0, 0, tensor, i * in.size());
      }
      float[] flat = model.run(tensor, n, model.firstOutput())[0];
      if (flat.length != n * dimension) {
        throw new IllegalStateException("recogniser returned " + flat.length + " values for " + n + " faces of dimension " + dimension);
      }
      for (int i = 0; i < n; i++) {
        float[] e = new float[dimension];
        System.arraycopy(flat, i * dimension, e, 0, dimension);
        out.add(normalize(e));
      }
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
