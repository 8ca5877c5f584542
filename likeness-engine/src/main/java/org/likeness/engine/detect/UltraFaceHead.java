package org.likeness.engine.detect;

import java.util.List;

/** UltraFace (RFB-320 style): {@code scores} [N,2] (background, face) and {@code boxes} [N,4] as corners in 0..1 of the input. */
final class UltraFaceHead implements DetectorHead {
  @Override
  public String[] outputs() {
    return new String[] {"scores", "boxes"};
  }

  @Override
  public void decode(float[][] out, int width, int height, float threshold, List<float[]> boxes) {
    float[] scores = out[0], b = out[1];
    int n = scores.length / 2;
    for (int i = 0; i < n; i++) {
      float score = scores[2 * i + 1];
      if (score >= threshold) {
        boxes.add(new float[] {b[4 * i] * width, b[4 * i + 1] * height, b[4 * i + 2] * width, b[4 * i + 3] * height, score});
      }
    }
  }
}
