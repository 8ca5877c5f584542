package org.likeness.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkContext;
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
 * @param shipped the pack was added to the job's archives ({@link #shipped}): executors read their unpacked copy
 * @param manifestSha256 sha256 of the driver's {@code pack.json}
 * @param minFace smallest face width searched for, pixels
 * @param score detector score threshold, null for the pack's
 */
public record EngineSpec(String packDir, boolean shipped, String manifestSha256, double minFace, Float score) implements Serializable {
  private static final String ARCHIVE = ".zip";

  /** The spec of {@code pack} opened on the driver from {@code dir}. */
  public static EngineSpec of(Path dir, boolean shipped, double minFace, Float score) {
    Path abs = dir.toAbsolutePath().normalize();
    return new EngineSpec(abs.toString(), shipped, ModelPackReader.sha256(abs.resolve(ModelPackReader.MANIFEST)), minFace, score);
  }

  /**
   * The spec of the pack in {@code dir}, shipped with the job: the pack's folder and every file its
   * manifest lists (a fusion pack names its networks in sibling folders, {@code ../dlib-resnet-v1/…})
   * are copied at the same relative places into one new folder under {@code staging}, zipped, and
   * added to the job's archives ({@code SparkContext.addArchive}), which every executor unpacks; each executor checks what it received
   * against the manifest's hash and the files' sha256 as for a pack read in place.
   */
  public static EngineSpec shipped(SparkContext sc, Path dir, Path staging, double minFace, Float score) throws IOException {
    Path pack = dir.toAbsolutePath().normalize();
    Path root = Files.createTempDirectory(Files.createDirectories(staging), "likeness-models-");
    Path into = root.resolve(pack.getFileName().toString());
    try (var walk = Files.walk(pack)) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        Path to = into.resolve(pack.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    for (JsonNode f : new ObjectMapper().readTree(pack.resolve(ModelPackReader.MANIFEST).toFile()).path("files")) {
      Path rel = Path.of(f.path("path").asText());
      Path to = into.resolve(rel).normalize();
      if (!to.startsWith(root)) {
        throw new IOException(pack + ": a listed file lies outside the packs' folder: " + rel);
      }
      if (!Files.exists(to)) {
        Files.createDirectories(to.getParent());
        Files.copy(pack.resolve(rel).normalize(), to);
      }
    }
    Path zip = staged(root.resolveSibling(root.getFileName() + ARCHIVE));
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip)); var walk = Files.walk(root)) {
      for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new java.util.zip.ZipEntry(root.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    EngineSpec spec = of(into, true, minFace, score); // the manifest's hash, read before the staged folder goes
    try (var walk = Files.walk(root)) { // the archive is what ships: the staged folder goes now
      for (Path f : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(f);
      }
    }
    // An archive, not a folder: Spark ships a local folder only to a local master; archives reach every executor, unpacked.
    sc.addArchive(zip.toString());
    return spec;
  }

  /** The shipped archive lives as long as the driver (executors fetch it from there): removed when its JVM exits. */
  private static Path staged(Path p) {
    p.toFile().deleteOnExit();
    return p;
  }

  /** Where this JVM reads the pack: in place, or the shipped copy under the job's files. */
  Path localDir() {
    Path dir = Path.of(packDir);
    return shipped ? Path.of(SparkFiles.get(dir.getParent().getFileName() + ARCHIVE)).resolve(dir.getFileName().toString()) : dir;
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
