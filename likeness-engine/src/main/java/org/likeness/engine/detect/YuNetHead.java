package org.likeness.engine.detect;

import java.util.List;

/**
 * YuNet (libfacedetection.train, 2023mar): per stride 8, 16 and 32, one anchor per cell with
 * {@code cls} and {@code obj} scores (the face score is their geometric mean, as OpenCV's
 * {@code FaceDetectorYN} computes it) and {@code bbox} offsets: centre in cells, size as log of
 * strides. Its 5 landmarks are not used: the pack's landmark model places the alignment points,
 * as for every detector.
 */
final class YuNetHead implements DetectorHead {
  private static final int[] STRIDES = {8, 16, 32};

  @Override
  public String[] outputs() {
    return new String[] {"cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32", "bbox_8", "bbox_16", "bbox_32"};
  }

  @Override
  public void decode(float[][] out, int width, int height, float threshold, List<float[]> boxes) {
    for (int k = 0; k < STRIDES.length; k++) {
      int s = STRIDES[k], cols = width / s, rows = height / s;
      float[] cls = out[k], obj = out[3 + k], bbox = out[6 + k];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          int i = r * cols + c;
          float score = (float) Math.sqrt(clamp(cls[i]) * clamp(obj[i]));
          if (score < threshold) {
            continue;
          }
          double cx = (c + bbox[4 * i]) * s, cy = (r + bbox[4 * i + 1]) * s;
          double w = Math.exp(bbox[4 * i + 2]) * s, h = Math.exp(bbox[4 * i + 3]) * s;
          boxes.add(new float[] {(float) (cx - w / 2), (float) (cy - h / 2), (float) (cx + w / 2), (float) (cy + h / 2), score});
        }
      }
    }
  }

  private static float clamp(float v) {
    return Math.max(0, Math.min(1, v));
  }
}
