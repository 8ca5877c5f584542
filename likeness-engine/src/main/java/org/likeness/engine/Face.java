package org.likeness.engine;

import java.util.List;
import org.likeness.engine.geom.Box;
import org.likeness.engine.geom.Point;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.landmark.Landmarks;
import org.likeness.engine.quality.Quality;

/**
 * One face found in an image: box and landmarks in image pixels, quality, the aligned crops (one per
 * template of the pack's recognisers, {@link #aligned()} first), and (once embedded) its
 * L2-normalised embedding.
 *
 * @param crops the face aligned to each of {@code RecognizerSpec.templates()}, in that order
 */
public record Face(Box box, float score, Landmarks landmarks, Quality quality, List<RgbImage> crops, float[] embedding) {

  public Face {
    crops = List.copyOf(crops);
  }

  /** The ArcFace 112x112 crop: what reviewers see and what quality judged. */
  public RgbImage aligned() {
    return crops.get(0);
  }

  /** Eyes, nose, mouth corners. */
  public List<Point> fivePoints() {
    return landmarks.fivePoints();
  }

  /** This face with its embedding. */
  public Face withEmbedding(float[] e) {
    return new Face(box, score, landmarks, quality, crops, e);
  }
}
