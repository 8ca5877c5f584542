package org.likeness.spark;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.detect.DetectOptions;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import org.likeness.engine.model.ModelPackReader;

/**
 * The engine every executor opens: which pack (a folder every executor reads at the same path, or
 * one shipped with the job) and the detector settings of the command that started the job. The
 * pack's manifest hash travels with it, so an executor that reads another pack fails instead of
 * deciding by other templates; every model file is checked against its sha256 when the pack opens.
 *
 * @param packDir the pack folder on the driver (and, unless shipped, on every executor)
 * @param shipped the pack was added to the job's files ({@code SparkContext.addFile}): executors read their copy
 * @param manifestSha256 sha256 of the driver's {@code pack.json}
 * @param minFace smallest face width searched for, pixels
 * @param score detector score threshold, null for the pack's
 */
public record EngineSpec(String packDir, boolean shipped, String manifestSha256, double minFace, Float score) implements Serializable {

  /** The spec of {@code pack} opened on the driver from {@code dir}. */
  public static EngineSpec of(Path dir, boolean shipped, double minFace, Float score) {
    Path abs = dir.toAbsolutePath().normalize();
    return new EngineSpec(abs.toString(), shipped, ModelPackReader.sha256(abs.resolve(ModelPackReader.MANIFEST)), minFace, score);
  }

  /** Where this JVM reads the pack. */
  Path localDir() {
    return shipped ? Path.of(SparkFiles.get(Path.of(packDir).getFileName().toString())) : Path.of(packDir);
  }

  /** Opens the engine: one inference thread per call, since Spark runs one task per core. */
  FaceEngine open() {
    Path dir = localDir();
    if (!Files.isRegularFile(dir.resolve(ModelPackReader.MANIFEST))) {
      throw new IllegalStateException("no model pack at " + dir + " on this executor (ship it with --ship-models, or put it at that path)");
    }
    String sha = ModelPackReader.sha256(dir.resolve(ModelPackReader.MANIFEST));
    if (!sha.equals(manifestSha256)) {
      throw new IllegalStateException("the model pack at " + dir + " on this executor is not the driver's (pack.json sha256 " + sha
          + ", driver's " + manifestSha256 + ")");
    }
    ModelPack p = new ModelCache(dir.getParent()).open(dir.toString());
    DetectOptions d = DetectOptions.forDetector(p.detector(), score, minFace);
    return new FaceEngine(p, EngineOptions.defaults().withThreads(1).withIntraOpThreads(1).withDetect(d));
  }
}
