package org.likeness.engine;

import org.likeness.engine.detect.DetectOptions;
import org.likeness.engine.image.ImageLimits;
import org.likeness.engine.quality.QualityLimits;

/**
 * Engine settings.
 *
 * @param threads ONNX Runtime intra-op threads per model run
 * @param detect detector settings; null takes the pack's defaults
 * @param quality quality limits
 * @param imageLimits decode limits
 * @param threshold verification threshold; NaN takes the pack's calibrated default
 */
public record EngineOptions(int threads, DetectOptions detect, QualityLimits quality, ImageLimits imageLimits, double threshold) {

  public EngineOptions {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive");
    }
  }

  /** All cores, pack defaults, default limits. */
  public static EngineOptions defaults() {
    return new EngineOptions(Runtime.getRuntime().availableProcessors(), null, QualityLimits.DEFAULT, ImageLimits.DEFAULT, Double.NaN);
  }

  public EngineOptions withThreads(int t) {
    return new EngineOptions(t, detect, quality, imageLimits, threshold);
  }

  public EngineOptions withDetect(DetectOptions d) {
    return new EngineOptions(threads, d, quality, imageLimits, threshold);
  }

  public EngineOptions withThreshold(double t) {
    return new EngineOptions(threads, detect, quality, imageLimits, t);
  }
}
