package org.likeness.cli;

import java.util.Map;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.detect.DetectOptions;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import picocli.CommandLine.Option;

/** Options every engine-backed command shares: which pack, how many threads, detector and decision settings. */
public final class EngineArgs {
  @Option(names = "--pack", paramLabel = "ID|DIR", description = "Model pack id in the model cache, or a pack folder (default: ${DEFAULT-VALUE}).")
  String pack = ModelCache.DEFAULT_PACK;

  @Option(names = "--threads", description = "Tiles and faces inferred concurrently (default: all cores).")
  Integer threads;

  @Option(names = "--intra-op-threads", description = "ONNX Runtime threads inside one model run (default: ${DEFAULT-VALUE}).")
  int intraOpThreads = 1;

  @Option(names = "--min-face", paramLabel = "PX", description = "Smallest face width to search for, in image pixels (default: ${DEFAULT-VALUE}).")
  double minFace = 40;

  @Option(names = "--score", paramLabel = "P", description = "Detector score threshold (default: the pack's).")
  Float score;

  @Option(names = "--threshold", paramLabel = "COS", description = "Verification threshold on cosine similarity (default: the pack's calibrated value).")
  Double threshold;

  /** Opens the engine these options describe. */
  FaceEngine open(Map<String, String> env) {
    return open(env, o -> o);
  }

  /** As {@link #open(Map)}, with {@code more} applied to the options last (a command's own lever). */
  FaceEngine open(Map<String, String> env, java.util.function.UnaryOperator<EngineOptions> more) {
    ModelPack p = ModelCache.fromEnvironment(env).open(pack);
    EngineOptions o = EngineOptions.defaults().withIntraOpThreads(intraOpThreads);
    if (threads != null) {
      o = o.withThreads(threads);
    }
    DetectOptions d = DetectOptions.forDetector(p.detector(), score, minFace);
    o = o.withDetect(d);
    if (threshold != null) {
      o = o.withThreshold(threshold);
    }
    return new FaceEngine(p, more.apply(o));
  }
}
