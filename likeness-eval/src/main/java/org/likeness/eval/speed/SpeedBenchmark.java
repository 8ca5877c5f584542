package org.likeness.eval.speed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.detect.FaceDetector;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.image.Resampler;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.model.ModelPackReader;
import org.likeness.engine.model.OnnxModel;

/**
 * The speed protocol: detector latency at 640x480 and 4000x3000, embeddings per second at batch
 * 1/8/32, end-to-end images per second over a folder of photos (decode to embeddings), peak RSS.
 * Each figure is a mean over repeated runs lasting at least {@code seconds}, after a warm-up run.
 */
public final class SpeedBenchmark {
  private final FaceEngine engine;
  private final double seconds;

  public SpeedBenchmark(FaceEngine engine, double seconds) {
    this.engine = engine;
    this.seconds = seconds;
  }

  /** Runs every measurement; {@code log} receives one line per finished step. */
  public Map<String, Object> run(Path base, List<Path> images, int workers, Consumer<String> log)
      throws ImageDecodeException, InterruptedException {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("runtime", "onnxruntime " + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion());
    r.put("cpu", org.likeness.engine.model.SessionTuner.cpuModel());
    r.put("cpuFlags", cpuFlags());
    Map<String, Object> sessions = new LinkedHashMap<>();
    for (var c : engine.sessionChoices()) { // the graph optimisation chosen per model on this CPU, and why
      sessions.put(c.model(), Map.of("level", c.level().name(), "allMs", round(c.allMs()), "extendedMs", round(c.extendedMs())));
    }
    r.put("sessions", sessions);
    r.put("pack", engine.pack().id());
    r.put("images", images.size());
    r.put("workers", workers);
    r.put("modelMsOneThread", modelMs());
    log.accept("single-model runs done");
    RgbImage photo = engine.decode(base);
    RgbImage vga = Resampler.resize(photo, 640, 480);
    RgbImage k4 = Resampler.resize(photo, 4000, 3000);
    FaceDetector detector = engine.detector();
    r.put("detectMs640x480", ms(time(() -> detector.detect(vga, engine.detectOptions()))));
    log.accept("detect 640x480 done");
    r.put("detectMs4000x3000", ms(time(() -> detector.detect(k4, engine.detectOptions()))));
    log.accept("detect 4000x3000 done");
    Face face = engine.detect(photo).get(0);
    for (int batch : new int[] {1, 8, 32}) {
      List<Face> faces = java.util.Collections.nCopies(batch, face);
      double t = time(() -> engine.embed(faces));
      r.put("embeddingsPerSecondBatch" + batch, round(batch / t));
      log.accept("embed batch " + batch + " done");
    }
    r.put("stageMsPerPass", stages(images));
    log.accept("stages done");
    AtomicInteger faces = new AtomicInteger();
    Runnable pass = () -> faces.set(endToEnd(images, workers));
    double t = time(pass);
    r.put("endToEndImagesPerSecond", round(images.size() / t));
    r.put("facesPerPass", faces.get());
    r.put("peakRssMb", peakRssMb());
    log.accept("end-to-end done");
    return r;
  }

  /** The SIMD extensions that decide inference kernels (AVX2, AVX-512 and its VNNI/BF16 parts), from /proc/cpuinfo. */
  static String cpuFlags() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          return java.util.Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split(" "))
              .filter(f -> f.equals("avx2") || f.equals("fma") || f.startsWith("avx512f") || f.equals("avx512_vnni")
                  || f.equals("avx512_bf16") || f.equals("amx_tile"))
              .sorted().collect(java.util.stream.Collectors.joining(" "));
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux
    }
    return "";
  }

  /** Mean ms of one run of each model of the pack on one thread, fed constant input, at the level the engine chose. */
  Map<String, Double> modelMs() {
    Map<String, Double> m = new LinkedHashMap<>();
    var pack = engine.pack();
    var specs = new LinkedHashMap<String, org.likeness.engine.model.ModelSpec>();
    specs.put("detector", pack.detector().model());
    specs.put("landmarks", pack.landmarks());
    var members = pack.recognizer().members();
    for (int i = 0; i < members.size(); i++) {
      specs.put(members.size() == 1 ? "recognizer" : "recognizer" + (i + 1), members.get(i).model());
    }
    var levels = engine.sessionChoices();
    int k = 0;
    for (var e : specs.entrySet()) {
      try (OnnxModel model = OnnxModel.load(e.getValue(), 1, levels.get(k++).level())) {
        float[] input = new float[model.input().size()];
        java.util.Arrays.fill(input, 0.1f);
        m.put(e.getKey(), ms(time(() -> model.run(input, 1, model.firstOutput()))));
      }
    }
    return m;
  }

  /** One pass over the images split into pipeline stages (decode, detector, landmarks+align+quality, embed), ms. */
  Map<String, Double> stages(List<Path> images) throws ImageDecodeException {
    long dec = 0, det = 0, rest = 0, emb = 0;
    for (int pass = 0; pass < 2; pass++) { // the first pass warms up; the second is reported
      dec = det = rest = emb = 0;
      for (Path p : images) {
        long t0 = System.nanoTime();
        RgbImage img = engine.decode(p);
        long t1 = System.nanoTime();
        engine.detector().detect(img, engine.detectOptions());
        long t2 = System.nanoTime();
        List<Face> faces = engine.detect(img);
        long t3 = System.nanoTime();
        engine.embed(faces);
        long t4 = System.nanoTime();
        dec += t1 - t0;
        det += t2 - t1;
        rest += (t3 - t2) - (t2 - t1); // engine.detect runs the detector again, then the per-face steps
        emb += t4 - t3;
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("decode", ms(dec / 1e9));
    m.put("detector", ms(det / 1e9));
    m.put("landmarksAlignQuality", ms(Math.max(0, rest) / 1e9));
    m.put("embed", ms(emb / 1e9));
    return m;
  }

  /** Decodes and fully analyses every image with {@code workers} concurrent callers; returns the faces found. */
  int endToEnd(List<Path> images, int workers) {
    if (workers <= 1) {
      int n = 0;
      for (Path p : images) {
        n += analyze(p);
      }
      return n;
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<Integer>> fs = new ArrayList<>();
      for (Path p : images) {
        fs.add(pool.submit(() -> analyze(p)));
      }
      int n = 0;
      for (Future<Integer> f : fs) {
        n += f.get();
      }
      return n;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  private int analyze(Path p) {
    try {
      return engine.analyze(engine.decode(p)).size();
    } catch (ImageDecodeException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Mean seconds per run over at least {@link #seconds} and 3 runs, after one warm-up. */
  private double time(Runnable r) {
    r.run();
    int runs = 0;
    long start = System.nanoTime();
    while (runs < 3 || System.nanoTime() - start < seconds * 1e9) {
      r.run();
      runs++;
    }
    return (System.nanoTime() - start) / 1e9 / runs;
  }

  /** Photos under {@code dir} (JPEG, PNG), each distinct file content once, in path order. */
  public static List<Path> distinctImages(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    try (var files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if ((name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png")) && seen.add(ModelPackReader.sha256(p))) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** Peak resident set size of this process (VmHWM), in MB; -1 where /proc is not available. */
  static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static double ms(double s) {
    return round(s * 1000);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
