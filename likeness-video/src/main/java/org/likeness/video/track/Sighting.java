package org.likeness.video.track;

import org.likeness.engine.geom.Box;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.quality.Quality;

/**
 * One face seen in one sampled frame: when, where, how confidently, how usable, and its embedding.
 *
 * @param weak found only by the second, low-score detection pass: it may extend a track, never start one
 * @param crop the aligned face crop; a track keeps only its best one (as PNG once the track ends)
 * @param embedding null in the samples a track keeps (their weighted sum is the track's template)
 */
public record Sighting(double time, Box box, float score, Quality quality, float[] embedding, boolean weak, RgbImage crop)
    implements java.io.Serializable {

  /** What a track keeps of every sample: when, where and how well, without the crop (37 KB) or the embedding (its sum is kept). */
  Sighting trace() {
    return new Sighting(time, box, score, quality, null, weak, null);
  }

  /** This sighting without its crop. */
  Sighting withoutCrop() {
    return crop == null ? this : new Sighting(time, box, score, quality, embedding, weak, null);
  }

  /** How much this sighting counts in its track's template: detector confidence times quality. */
  public double weight() {
    return Math.max(1e-3, score * quality.score());
  }
}
