package org.likeness.eval.speed;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.search.TemplateIndex;

/**
 * The gallery search protocol on synthetic face-like templates, matched to what the default pack
 * measured on real faces: different people score mean 0, sd 0.086 (so identity centres lie in a
 * random {@value #RANK}-dimensional subspace, 1/sqrt(135) = 0.086), the same person about 0.6
 * (several templates per identity around its centre). Probes are new templates of enrolled
 * people. Reports per method the build time, query latency, queries per second, recall@1 and @10
 * against exact search, and memory per template. Uniform random vectors would be the wrong test:
 * their neighbours are all noise-level and no index, exact or not, sees structure in them.
 */
public final class SearchBenchmark {
  /** Templates per synthetic identity. */
  static final int PER_IDENTITY = 4;
  /** Noise around an identity centre: two templates of one person score 1/(1+0.816^2) = 0.6. */
  static final double NOISE = 0.816;
  /** Dimension of the subspace identity centres span: impostor sd 1/sqrt(135) = 0.086, as measured. */
  static final int RANK = 135;

  private final int dimension;
  private final long seed;

  public SearchBenchmark(int dimension, long seed) {
    this.dimension = dimension;
    this.seed = seed;
  }

  /** Deterministic templates and probes for a gallery of {@code n}. */
  public record Data(List<float[]> templates, List<float[]> probes) {}

  /** Generates the gallery and {@code queries} probes (same seed, same data: the peer reads the same vectors). */
  public Data generate(int n, int queries) {
    Random rnd = new Random(seed);
    int identities = Math.max(1, n / PER_IDENTITY);
    // Centres are regenerated from per-identity seeds, so 1M centres need not be held at once.
    List<float[]> templates = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      templates.add(sample(centre(i / PER_IDENTITY), rnd));
    }
    List<float[]> probes = new ArrayList<>(queries);
    for (int q = 0; q < queries; q++) {
      probes.add(sample(centre(rnd.nextInt(identities)), rnd));
    }
    return new Data(templates, probes);
  }

  private float[][] basis;

  private float[] centre(int identity) {
    if (basis == null) {
      Random b = new Random(seed);
      basis = new float[RANK][dimension];
      for (float[] row : basis) {
        for (int d = 0; d < dimension; d++) {
          row[d] = (float) b.nextGaussian();
        }
      }
    }
    Random r = new Random(seed * 1_000_003L + identity);
    float[] c = new float[dimension];
    for (float[] row : basis) {
      float z = (float) r.nextGaussian();
      for (int d = 0; d < dimension; d++) {
        c[d] += z * row[d];
      }
    }
    return unit(c);
  }

  /** The seed. */
  long seed() {
    return seed;
  }

  /** Consumes the random draws of one sample (to replay the generator's sequence without the vectors). */
  void skipSample(Random rnd) {
    for (int d = 0; d < dimension; d++) {
      rnd.nextGaussian();
    }
  }

  private float[] sample(float[] centre, Random rnd) {
    float[] v = new float[dimension];
    double s = NOISE / Math.sqrt(dimension);
    for (int d = 0; d < dimension; d++) {
      v[d] = (float) (centre[d] + s * rnd.nextGaussian());
    }
    return unit(v);
  }

  private static float[] unit(float[] v) {
    double n = 0;
    for (float f : v) {
      n += f * f;
    }
    float inv = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }

  /** Writes vectors as raw float32 little-endian rows (what bench/peer_faiss.py reads). */
  public static void writeF32(List<float[]> vectors, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      ByteBuffer b = ByteBuffer.allocate(vectors.get(0).length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] v : vectors) {
        b.clear();
        b.asFloatBuffer().put(v);
        out.write(b.array());
      }
    }
  }

  /** Runs every method on a gallery of {@code n}; {@code log} receives progress lines. */
  public Map<String, Object> run(Data data, List<SearchMethod> methods, ForkJoinPool pool, Consumer<String> log) {
    int n = data.templates().size();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("templates", n);
    r.put("dimension", dimension);
    r.put("queries", data.probes().size());
    long t0 = System.nanoTime();
    // The graph lives in a folder, memory-mapped, as a gallery's does.
    java.nio.file.Path graphDir;
    try {
      graphDir = java.nio.file.Files.createTempDirectory("likeness-bench-hnsw");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try {
      return run(data, methods, pool, log, r, t0, new TemplateIndex(dimension, pool, graphDir), graphDir);
    } finally {
      new org.likeness.gallery.search.SavedGraphDirectory(graphDir).delete();
    }
  }

  private Map<String, Object> run(Data data, List<SearchMethod> methods, ForkJoinPool pool, Consumer<String> log,
      Map<String, Object> r, long t0, TemplateIndex index, java.nio.file.Path graphDir) {
    int n = data.templates().size();
    for (int i = 0; i < n; i++) {
      index.add(i, data.templates().get(i));
    }
    r.put("loadSeconds", round((System.nanoTime() - t0) / 1e9));
    log.accept("loaded " + n);
    List<List<Hit>> truth = new ArrayList<>();
    for (float[] q : data.probes()) {
      truth.add(index.search(q, 10, SearchMethod.EXACT));
    }
    for (SearchMethod m : methods) {
      Map<String, Object> mr = new LinkedHashMap<>();
      if (m == SearchMethod.HNSW) {
        long b = System.nanoTime();
        index.prepareHnsw();
        mr.put("buildSeconds", round((System.nanoTime() - b) / 1e9));
        mr.put("indexBytesPerTemplate", folderBytes(graphDir) / n);
        log.accept("hnsw built");
      }
      // Warm up, then time each query alone (the latency a user sees).
      for (int i = 0; i < Math.min(5, data.probes().size()); i++) {
        index.search(data.probes().get(i), 10, m);
      }
      double[] ms = new double[data.probes().size()];
      double r1 = 0, r10 = 0;
      for (int i = 0; i < ms.length; i++) {
        long s = System.nanoTime();
        List<Hit> got = index.search(data.probes().get(i), 10, m);
        ms[i] = (System.nanoTime() - s) / 1e6;
        List<Hit> exact = truth.get(i);
        r1 += !got.isEmpty() && got.get(0).faceId() == exact.get(0).faceId() ? 1 : 0;
        Set<Long> want = new HashSet<>();
        exact.forEach(h -> want.add(h.faceId()));
        r10 += got.stream().filter(h -> want.contains(h.faceId())).count() / (double) want.size();
      }
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      double mean = Arrays.stream(ms).average().orElse(0);
      mr.put("meanMs", round(mean));
      mr.put("p50Ms", round(sorted[sorted.length / 2]));
      mr.put("p99Ms", round(sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]));
      mr.put("queriesPerSecond", round(1000 / mean));
      mr.put("recallAt1", round(r1 / ms.length));
      mr.put("recallAt10", round(r10 / ms.length));
      r.put(m.name().toLowerCase(java.util.Locale.ROOT), mr);
      log.accept(m + " done");
    }
    r.put("bytesPerTemplateFloat", dimension * 4);
    r.put("bytesPerTemplateInt8", dimension + 4);
    return r;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static long folderBytes(java.nio.file.Path dir) {
    try (var files = java.nio.file.Files.walk(dir)) {
      return files.filter(java.nio.file.Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
