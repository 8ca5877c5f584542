package org.likeness.engine.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The folder holding installed packs, one sub-folder per pack id. {@code LIKENESS_MODELS} overrides
 * the default {@code ~/.cache/likeness/models}.
 */
public record ModelCache(Path root) {
  /**
   * The pack used when none is named: dlib's and MobileFaceNet's recognisers fused with equal
   * weights, ahead of every other option on LFW at every false-match rate it measures and in 1:N
   * (docs/BENCHMARKS.md, "Choosing the default").
   */
  public static final String DEFAULT_PACK = "fusion-dlib-mobilefacenet-r2";

  /** The cache named by the environment, or the default location. */
  public static ModelCache fromEnvironment(Map<String, String> env) {
    String dir = env.get("LIKENESS_MODELS");
    if (dir != null && !dir.isBlank()) {
      return new ModelCache(Path.of(dir));
    }
    return new ModelCache(Path.of(System.getProperty("user.home"), ".cache", "likeness", "models"));
  }

  /** Opens a pack by id (a folder in this cache) or by the path of a pack folder. */
  public ModelPack open(String idOrPath) {
    Path asPath = Path.of(idOrPath);
    Path dir = Files.isRegularFile(asPath.resolve(ModelPackReader.MANIFEST)) ? asPath : root.resolve(idOrPath);
    return new ModelPackReader().read(dir);
  }
}
