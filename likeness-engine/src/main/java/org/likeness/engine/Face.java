package org.likeness.engine;

import java.util.List;
import org.likeness.engine.geom.Box;
import org.likeness.engine.geom.Point;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.landmark.Landmarks;
import org.likeness.engine.quality.Quality;

/**
 * One face found in an image: box and landmarks in image pixels, quality, the aligned crop the
 * recogniser sees, and (once embedded) its L2-normalised embedding.
 */
public record Face(Box box, float score, Landmarks landmarks, Quality quality, RgbImage aligned, float[] embedding) {

  /** Eyes, nose, mouth corners. */
  public List<Point> fivePoints() {
    return landmarks.fivePoints();
  }

  /** This face with its embedding. */
  public Face withEmbedding(float[] e) {
    return new Face(box, score, landmarks, quality, aligned, e);
  }
}
