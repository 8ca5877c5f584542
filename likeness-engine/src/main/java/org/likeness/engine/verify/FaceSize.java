package org.likeness.engine.verify;

/**
 * How much of a face a probe's template rests on, as the small-face rule reads it: the face's width
 * in pixels ({@link SmallFaces#widthOf}; NaN when unknown) and how many frames it was seen in (1 for
 * a photo's face; a track's template averages its best frames).
 */
public record FaceSize(double width, int frames) {

  public FaceSize {
    if (frames < 1) {
      throw new IllegalArgumentException("a template averages one frame or more, not " + frames);
    }
  }

  /** One photo's face {@code width} pixels wide. */
  public static FaceSize photo(double width) {
    return new FaceSize(width, 1);
  }
}
