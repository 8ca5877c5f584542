package org.likeness.video.decode;

/**
 * Bounds a video must stay within before any frame is decoded.
 *
 * @param maxSeconds longest duration accepted
 * @param maxPixels largest frame (width x height) accepted
 */
public record VideoLimits(double maxSeconds, long maxPixels) implements java.io.Serializable {
  /** Four hours, 8K frames. */
  public static final VideoLimits DEFAULT = new VideoLimits(4 * 3600, 7680L * 4320);
}
