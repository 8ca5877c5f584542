package org.likeness.engine;

import org.likeness.engine.detect.DetectOptions;
import org.likeness.engine.image.ImageLimits;
import org.likeness.engine.quality.QualityLimits;

/**
 * Engine settings.
 *
 * @param threads items (tiles, faces) inferred concurrently by the engine's workers
 * @param intraOpThreads ONNX Runtime threads inside one model run (1 suits these small models best)
 * @param detect detector settings; null takes the pack's defaults
 * @param quality quality limits
 * @param imageLimits decode limits
 * @param threshold verification threshold; NaN takes the pack's calibrated default
 */
public record EngineOptions(int threads, int intraOpThreads, DetectOptions detect, QualityLimits quality, ImageLimits imageLimits, double threshold,
    boolean flipAverage) {

  public EngineOptions {
    if (threads <= 0 || intraOpThreads <= 0) {
      throw new IllegalArgumentException("thread counts must be positive");
    }
  }

  /** All cores, pack defaults, default limits. */
  public static EngineOptions defaults() {
    return new EngineOptions(Runtime.getRuntime().availableProcessors(), 1, null, QualityLimits.DEFAULT, ImageLimits.DEFAULT, Double.NaN, false);
  }

  public EngineOptions withThreads(int t) {
    return new EngineOptions(t, intraOpThreads, detect, quality, imageLimits, threshold, flipAverage);
  }

  public EngineOptions withIntraOpThreads(int t) {
    return new EngineOptions(threads, t, detect, quality, imageLimits, threshold, flipAverage);
  }

  public EngineOptions withDetect(DetectOptions d) {
    return new EngineOptions(threads, intraOpThreads, d, quality, imageLimits, threshold, flipAverage);
  }

  public EngineOptions withThreshold(double t) {
    return new EngineOptions(threads, intraOpThreads, detect, quality, imageLimits, t, flipAverage);
  }

  /** Each embedding the mean of the face's and its mirror image's (an evaluation lever: a pack's templates never change). */
  public EngineOptions withFlipAverage(boolean on) {
    return new EngineOptions(threads, intraOpThreads, detect, quality, imageLimits, threshold, on);
  }
}
