package org.likeness.gallery.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * In-memory search over a gallery's templates, derived from the store (rebuilt on open, kept in
 * step by the process that changes the store). Holds each template in float and in int8
 * (symmetric per-vector scale); searches exactly, in int8 with float re-ranking, or through an
 * {@link HnswGraph}. Dot products are Lucene's {@link VectorUtil} kernels, which use SIMD through
 * the JDK's Vector API when {@code jdk.incubator.vector} is enabled. Thread-safe.
 */
public final class TemplateIndex {
  /** Templates per parallel task: large enough to amortise the fork, small enough to balance 2+ cores. */
  private static final int CHUNK = 8192;
  /** Candidates re-ranked in float per result asked for, for INT8 and HNSW. */
  static final int RERANK_FACTOR = 10;

  private final int dimension;
  private final ForkJoinPool pool;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final List<float[]> vectors = new ArrayList<>();
  private final List<byte[]> quantized = new ArrayList<>();
  private float[] scales = new float[1024];
  private long[] ids = new long[1024];
  private final Map<Long, Integer> slot = new HashMap<>();
  private final Path graphDir;
  /** Order-independent sum of per-template hashes: identifies the exact set of templates held. */
  private long fingerprint;
  private HnswGraph hnsw;
  /**
   * Templates added since the graph was built: searched exactly beside it, so an enrolment does
   * not cost a rebuild (minutes at a million). The graph is rebuilt once they pass
   * {@link #STALE_FRACTION} of it.
   */
  private final java.util.Set<Long> sinceGraph = new java.util.LinkedHashSet<>();
  /** Share of templates outside the graph beyond which it is rebuilt. */
  static final double STALE_FRACTION = 0.05;
  /** Below this many templates outside the graph, never rebuild for staleness. */
  static final int STALE_MIN = 1000;

  /** An index whose HNSW graph lives in memory only. */
  public TemplateIndex(int dimension, ForkJoinPool pool) {
    this(dimension, pool, null);
  }

  /**
   * An index whose HNSW graph is saved in {@code graphDir} and reused by later processes while the
   * templates are unchanged (building it is the slow part: minutes at a million templates).
   */
  public TemplateIndex(int dimension, ForkJoinPool pool, Path graphDir) {
    this.dimension = dimension;
    this.pool = pool;
    this.graphDir = graphDir;
  }

  public int dimension() {
    return dimension;
  }

  /** Templates held. */
  public int size() {
    lock.readLock().lock();
    try {
      return vectors.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Adds (or replaces) a unit-length template. */
  public void add(long faceId, float[] template) {
    if (template.length != dimension) {
      throw new IllegalArgumentException("template of dimension " + template.length + ", index holds " + dimension);
    }
    lock.writeLock().lock();
    try {
      Integer held = slot.get(faceId);
      if (held != null && java.util.Arrays.equals(vectors.get(held), template)) {
        return; // already held as is
      }
      remove(faceId);
      int i = vectors.size();
      if (i == ids.length) {
        ids = java.util.Arrays.copyOf(ids, ids.length * 2);
        scales = java.util.Arrays.copyOf(scales, scales.length * 2);
      }
      ids[i] = faceId;
      vectors.add(template);
      byte[] q = new byte[dimension];
      scales[i] = quantize(template, q);
      quantized.add(q);
      slot.put(faceId, i);
      fingerprint += hash(faceId, template);
      if (hnsw != null) {
        sinceGraph.add(faceId);
        if (sinceGraph.size() > Math.max(STALE_MIN, STALE_FRACTION * hnsw.size())) {
          dropGraph(); // rebuilt on the next HNSW search
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Under the write lock: no search is using the graph. */
  private void dropGraph() {
    if (hnsw != null) {
      hnsw.close();
    }
    hnsw = null;
    sinceGraph.clear();
  }

  /** Removes a template; returns whether it was there. */
  public boolean remove(long faceId) {
    lock.writeLock().lock();
    try {
      Integer i = slot.remove(faceId);
      if (i == null) {
        return false;
      }
      fingerprint -= hash(faceId, vectors.get(i));
      int last = vectors.size() - 1;
      if (i != last) { // move the last entry into the hole
        vectors.set(i, vectors.get(last));
        quantized.set(i, quantized.get(last));
        scales[i] = scales[last];
        ids[i] = ids[last];
        slot.put(ids[i], i);
      }
      vectors.remove(last);
      quantized.remove(last);
      // A deleted template must leave the index, graph included: the graph is rebuilt without it.
      dropGraph();
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The k most similar templates by the chosen method, best first. */
  public List<Hit> search(float[] probe, int k, SearchMethod method) {
    lock.readLock().lock();
    try {
      return switch (method.resolve(vectors.size())) {
        case EXACT, AUTO -> exact(probe, k);
        case INT8 -> rerank(probe, int8(probe, Math.max(k * RERANK_FACTOR, 100)), k);
        case HNSW -> rerank(probe, hnswCandidates(probe, Math.max(k * RERANK_FACTOR, 100)), k);
      };
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Graph candidates plus every template added since the graph was built. */
  private List<Hit> hnswCandidates(float[] probe, int n) {
    HnswGraph g = graph();
    List<Hit> out = new ArrayList<>(g.search(probe, n));
    synchronized (this) {
      for (long id : sinceGraph) {
        out.add(new Hit(id, 0)); // scored in the re-rank
      }
    }
    return out;
  }

  /**
   * The graph over the current templates: the saved one if it holds no template that is gone and
   * misses few enough (those are searched exactly), else built (and saved).
   */
  private HnswGraph graph() {
    HnswGraph g = hnsw;
    if (g == null) {
      synchronized (this) {
        if (hnsw == null) {
          sinceGraph.clear();
          if (graphDir == null) {
            hnsw = HnswGraph.build(vectors, ids, dimension, pool);
          } else {
            try {
              Files.createDirectories(graphDir);
              FSDirectory dir = FSDirectory.open(graphDir);
              HnswGraph saved = HnswGraph.openSaved(dir, pool);
              java.util.Set<Long> missing = saved == null ? null : missingFrom(saved);
              if (missing != null) {
                hnsw = saved;
                sinceGraph.addAll(missing);
              } else {
                if (saved != null) {
                  saved.close();
                }
                hnsw = HnswGraph.build(vectors, ids, dimension, dir, fingerprint(), pool);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }
        g = hnsw;
      }
    }
    return g;
  }

  /**
   * The templates held but not in {@code saved}, or null when the saved graph is unusable: it holds
   * a template that is no longer here (deleted: never serve it), or misses too many.
   */
  private java.util.Set<Long> missingFrom(HnswGraph saved) {
    java.util.Set<Long> inGraph = new java.util.HashSet<>();
    for (long id : saved.faceIds()) {
      if (!slot.containsKey(id)) {
        return null;
      }
      inGraph.add(id);
    }
    java.util.Set<Long> missing = new java.util.LinkedHashSet<>();
    for (int i = 0; i < vectors.size(); i++) {
      if (!inGraph.contains(ids[i])) {
        missing.add(ids[i]);
      }
    }
    return missing.size() > Math.max(STALE_MIN, STALE_FRACTION * inGraph.size()) ? null : missing;
  }

  /** Templates searched exactly beside the HNSW graph (added since it was built); 0 without a graph. */
  public int outsideGraph() {
    lock.readLock().lock();
    try {
      synchronized (this) {
        return hnsw == null ? 0 : sinceGraph.size();
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Identifies the set of templates held (count and content), for the saved graph's validity. */
  public String fingerprint() {
    lock.readLock().lock();
    try {
      return vectors.size() + ":" + Long.toHexString(fingerprint);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static long hash(long faceId, float[] t) {
    CRC32C crc = new CRC32C();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(t.length * 4);
    b.asFloatBuffer().put(t);
    crc.update(b.array());
    long h = (crc.getValue() << 32) ^ faceId;
    h ^= h >>> 33; // murmur3 finaliser: spreads bits so sums of hashes do not cancel by accident
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  /** Deletes a saved graph folder (its files hold template vectors: a deletion must not leave them behind). */
  public static void deleteSavedGraph(Path graphDir) {
    if (graphDir == null || !Files.exists(graphDir)) {
      return;
    }
    try (var files = Files.walk(graphDir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the saved index " + graphDir + ": " + e.getMessage(), e);
    }
  }

  /** Builds the HNSW graph now (expert: otherwise the first HNSW search pays for it). */
  public void prepareHnsw() {
    lock.readLock().lock();
    try {
      graph();
    } finally {
      lock.readLock().unlock();
    }
  }

  List<Hit> exact(float[] probe, int k) {
    return scan(k, (from, to, top) -> {
      for (int i = from; i < to; i++) {
        top.offer(ids[i], VectorUtil.dotProduct(probe, vectors.get(i)));
      }
    });
  }

  List<Hit> int8(float[] probe, int k) {
    byte[] q = new byte[dimension];
    float ps = quantize(probe, q);
    return scan(k, (from, to, top) -> {
      for (int i = from; i < to; i++) {
        top.offer(ids[i], VectorUtil.dotProduct(q, quantized.get(i)) * ps * scales[i]);
      }
    });
  }

  /** Symmetric int8 quantisation of {@code v} into {@code out}; returns the scale (value = byte x scale). */
  static float quantize(float[] v, byte[] out) {
    float max = 0;
    for (float f : v) {
      max = Math.max(max, Math.abs(f));
    }
    float scale = max == 0 ? 1 : max / 127f;
    for (int d = 0; d < v.length; d++) {
      out[d] = (byte) Math.round(v[d] / scale);
    }
    return scale;
  }

  private List<Hit> rerank(float[] probe, List<Hit> candidates, int k) {
    TopK top = new TopK(k);
    for (Hit h : candidates) {
      Integer i = slot.get(h.faceId());
      if (i != null) {
        top.offer(h.faceId(), VectorUtil.dotProduct(probe, vectors.get(i)));
      }
    }
    return top.sorted();
  }

  @FunctionalInterface
  private interface Range {
    void scan(int from, int to, TopK top);
  }

  private List<Hit> scan(int k, Range range) {
    int n = vectors.size();
    if (n <= CHUNK || pool.getParallelism() == 1) {
      TopK top = new TopK(k);
      range.scan(0, n, top);
      return top.sorted();
    }
    final class Task extends RecursiveTask<TopK> {
      private final int from, to;

      Task(int from, int to) {
        this.from = from;
        this.to = to;
      }

      @Override
      protected TopK compute() {
        if (to - from <= CHUNK) {
          TopK top = new TopK(k);
          range.scan(from, to, top);
          return top;
        }
        int mid = (from + to) >>> 1;
        Task left = new Task(from, mid);
        left.fork();
        TopK right = new Task(mid, to).compute();
        right.addAll(left.join());
        return right;
      }
    }
    return pool.invoke(new Task(0, n)).sorted();
  }
}
