package org.likeness.engine.detect;

import java.util.List;

/**
 * How one detector architecture's outputs turn into candidate boxes, in the pixels of the tile the
 * model saw. The tiling, the mapping back to the image and the suppression are the same for all.
 */
interface DetectorHead {
  /** Output tensors to fetch, in the order {@link #decode} receives them. */
  String[] outputs();

  /** Boxes {@code {x1, y1, x2, y2, score}} above {@code threshold}, in tile pixels of a {@code width x height} input. */
  void decode(float[][] out, int width, int height, float threshold, List<float[]> boxes);

  /** The head for a pack's {@code detector.architecture}. */
  static DetectorHead of(String architecture) {
    return switch (architecture) {
      case "ultraface" -> new UltraFaceHead();
      case "yunet" -> new YuNetHead();
      default -> throw new IllegalArgumentException("unknown detector architecture '" + architecture + "' (ultraface, yunet)");
    };
  }
}
