package org.likeness.engine.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Chooses ONNX Runtime's graph optimisation level per model for the CPU it runs on. The fullest
 * level is not always the fastest: its NCHWc layout rewrite made one recogniser 3.5x slower on an
 * AVX-512 Xeon than the extended level. So each level is timed once on the model itself (a few
 * runs on a zero input, median), and the choice is remembered per CPU model, runtime version and
 * model file in a small JSON file beside the model cache; later opens read it.
 */
public final class SessionTuner {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Levels tried, best-known first (kept on a tie). */
  private static final OptLevel[] LEVELS = {OptLevel.ALL_OPT, OptLevel.EXTENDED_OPT};
  private static final int WARMUP = 3, RUNS = 9;

  /**
   * What was chosen for one model, with the measurements behind it.
   *
   * @param allMs median milliseconds per run at ALL_OPT
   * @param extendedMs median milliseconds per run at EXTENDED_OPT
   */
  public record Choice(String model, OptLevel level, double allMs, double extendedMs, String cpu, String runtime, boolean measuredNow) {}

  private final Path file;

  /** A tuner remembering its choices in {@code file} (null: measure at every open, remember nothing). */
  public SessionTuner(Path file) {
    this.file = file;
  }

  /**
   * The CPU's model name with its family and model numbers (Linux {@code /proc/cpuinfo}), else the
   * architecture. Virtual machines often name only the brand ("AMD EPYC"); the numbers tell its
   * generations apart (family 25 is Zen 3/4, 26 Zen 5), whose kernels may favour other levels.
   */
  public static String cpuModel() {
    try {
      String name = null, family = null, model = null;
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        String value = line.indexOf(':') < 0 ? "" : line.substring(line.indexOf(':') + 1).strip();
        if (name == null && line.startsWith("model name")) {
          name = value;
        } else if (family == null && line.startsWith("cpu family")) {
          family = value;
        } else if (model == null && line.matches("model\\s*:.*")) {
          model = value;
        }
        if (line.isBlank() && name != null) {
          break; // the first processor is enough
        }
      }
      if (name != null) {
        return family != null && model != null ? name + " (family " + family + ", model " + model + ")" : name;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  /** The level to load {@code spec} with at {@code intraOpThreads}: remembered, or measured now. */
  public synchronized Choice choose(ModelSpec spec, int intraOpThreads) {
    String cpu = cpuModel();
    String runtime = OrtEnvironment.getEnvironment().getVersion();
    long size;
    try {
      size = Files.size(spec.file());
    } catch (IOException e) {
      throw new ModelPackException("cannot read " + spec.file() + ": " + e.getMessage(), e);
    }
    String key = String.join("|", cpu, runtime, spec.file().getFileName().toString(), Long.toString(size), "t" + intraOpThreads);
    ObjectNode all = read();
    JsonNode known = all.get(key);
    if (known != null) {
      try {
        return new Choice(spec.file().getFileName().toString(), OptLevel.valueOf(known.path("level").asText()),
            known.path("allMs").asDouble(), known.path("extendedMs").asDouble(), cpu, runtime, false);
      } catch (IllegalArgumentException e) {
        // unknown level name: measure again
      }
    }
    double[] ms = new double[LEVELS.length];
    float[] zeros = new float[spec.input().size()];
    for (int i = 0; i < LEVELS.length; i++) {
      try (OnnxModel m = OnnxModel.load(spec, intraOpThreads, LEVELS[i])) {
        for (int w = 0; w < WARMUP; w++) {
          m.run(zeros, 1, m.firstOutput());
        }
        double[] t = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
          long t0 = System.nanoTime();
          m.run(zeros, 1, m.firstOutput());
          t[r] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        ms[i] = t[RUNS / 2];
      }
    }
    // The extended level must win clearly (5 %) to displace the fuller one: timing noise is not a reason.
    OptLevel level = ms[1] < 0.95 * ms[0] ? LEVELS[1] : LEVELS[0];
    Choice c = new Choice(spec.file().getFileName().toString(), level, ms[0], ms[1], cpu, runtime, true);
    ObjectNode entry = JSON.createObjectNode();
    entry.put("level", level.name());
    entry.put("allMs", Math.round(ms[0] * 1000) / 1000.0);
    entry.put("extendedMs", Math.round(ms[1] * 1000) / 1000.0);
    all.set(key, entry);
    write(all);
    return c;
  }

  private ObjectNode read() {
    if (file == null || !Files.isRegularFile(file)) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      return n instanceof ObjectNode o ? o : JSON.createObjectNode();
    } catch (IOException e) {
      return JSON.createObjectNode(); // damaged: measured again and rewritten
    }
  }

  /** Written whole and moved into place: a concurrent reader sees the old file or the new one. */
  private void write(ObjectNode all) {
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tuning", ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // a read-only cache: the choice holds for this process only
    }
  }
}
