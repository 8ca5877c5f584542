package org.likeness.engine.image;

/**
 * Bounds checked before an image is decoded, so a decompression bomb is refused from its header.
 *
 * @param maxPixels largest width x height accepted
 * @param maxBytes largest encoded size accepted
 */
public record ImageLimits(long maxPixels, long maxBytes) {

  /** 50 megapixels, 50 MB. */
  public static final ImageLimits DEFAULT = new ImageLimits(50_000_000L, 50L * 1024 * 1024);

  public ImageLimits {
    if (maxPixels <= 0 || maxBytes <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
