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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TemplateIndex.class);
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
  /** Bumped by every removal: a graph built from an older snapshot may hold a deleted face. */
  private long generation;
  /** The background build, if one was started (guarded by {@code this}). */
  private java.util.concurrent.CompletableFuture<Void> building;
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
          startBuild(); // the current graph keeps serving until the new one replaces it
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

  private boolean stale() {
    return hnsw != null && sinceGraph.size() > Math.max(STALE_MIN, STALE_FRACTION * hnsw.size());
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
      // A deleted template must leave the index, graph and saved graph included; a build under way
      // from an older snapshot is thrown away when it finishes (generation).
      generation++;
      dropGraph();
      if (graphDir != null) {
        deleteFolder(graphDir); // not the folder a build of ours may be writing: that build is thrown away
      }
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
        case HNSW -> {
          int n = Math.max(k * RERANK_FACTOR, 100);
          if (hnsw == null) { // no graph yet: answer from the int8 scan while one is built, never wait
            startBuild();
            yield rerank(probe, int8(probe, n), k);
          }
          yield rerank(probe, hnswCandidates(probe, n), k);
        }
      };
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Graph candidates plus every template added since the graph was built (under the read lock). */
  private List<Hit> hnswCandidates(float[] probe, int n) {
    List<Hit> out = new ArrayList<>(hnsw.search(probe, n));
    for (long id : sinceGraph) {
      out.add(new Hit(id, 0)); // scored in the re-rank
    }
    return out;
  }

  /**
   * Starts obtaining a graph over the current templates in the background, unless that is under
   * way: searches go on meanwhile (with the old graph, or the int8 scan), which matters when a build
   * takes minutes.
   */
  private java.util.concurrent.CompletableFuture<Void> startBuild() {
    synchronized (this) {
      if (building == null || building.isDone()) {
        building = java.util.concurrent.CompletableFuture.runAsync(this::obtainGraph,
            r -> Thread.ofPlatform().daemon().name("likeness-hnsw").start(r));
        building.whenComplete((ok, e) -> {
          if (e != null) {
            LOG.error("HNSW build failed; searches use the int8 scan until the next attempt", e);
          }
        });
      }
      return building;
    }
  }

  /**
   * Builder thread: takes a snapshot, gets a graph for it (the saved one if it holds no template
   * that is gone and misses few enough, else a new one), and installs it if no template was removed
   * meanwhile; otherwise starts over from a new snapshot.
   */
  private void obtainGraph() {
    while (true) {
      List<float[]> snapVectors;
      long[] snapIds;
      long gen;
      String fp;
      HnswGraph saved = null;
      lock.readLock().lock();
      try {
        gen = generation;
        snapVectors = List.copyOf(vectors);
        snapIds = java.util.Arrays.copyOf(ids, vectors.size());
        fp = snapIds.length + ":" + Long.toHexString(fingerprint);
        if (graphDir != null && hnsw == null) {
          saved = usableSaved();
        }
      } finally {
        lock.readLock().unlock();
      }
      if (saved != null) {
        if (install(saved, gen, null)) {
          return;
        }
        continue;
      }
      if (graphDir == null) {
        if (install(HnswGraph.build(snapVectors, snapIds, dimension, pool), gen, snapIds)) {
          return;
        }
        continue;
      }
      // Built beside the live folder and moved into place on install: a search never sees half a graph.
      Path next = building(graphDir);
      deleteFolder(next);
      long t0 = System.nanoTime();
      LOG.info("building the HNSW graph of {} templates in {}", snapIds.length, next);
      try {
        Files.createDirectories(next);
        try (FSDirectory dir = FSDirectory.open(next)) {
          HnswGraph.build(snapVectors, snapIds, dimension, dir, fp, pool).close();
        }
      } catch (IOException e) {
        deleteFolder(next);
        throw new UncheckedIOException(e);
      }
      if (installFolder(next, gen)) {
        LOG.info("HNSW graph of {} templates built in {} s", snapIds.length, (System.nanoTime() - t0) / 1_000_000_000L);
        return;
      }
    }
  }

  /** The saved graph if it holds only templates still here and misses few; else null (read lock held). */
  private HnswGraph usableSaved() {
    try {
      if (!Files.isDirectory(graphDir)) {
        return null;
      }
      HnswGraph saved = HnswGraph.openSaved(FSDirectory.open(graphDir), pool);
      if (saved != null && missingFrom(saved) == null) {
        saved.close();
        return null;
      }
      return saved;
    } catch (IOException e) {
      return null; // unreadable: rebuild
    }
  }

  /** Installs a graph built from a snapshot taken at {@code gen}; false (graph closed) if a removal came since. */
  private boolean install(HnswGraph g, long gen, long[] snapIds) {
    lock.writeLock().lock();
    try {
      if (gen != generation) {
        g.close();
        return false;
      }
      replaceGraph(g, snapIds);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Moves a finished graph folder into place and opens it; false (folder deleted) if a removal came since. */
  private boolean installFolder(Path next, long gen) {
    lock.writeLock().lock();
    try {
      if (gen != generation) {
        deleteFolder(next); // it may hold a deleted template
        return false;
      }
      if (hnsw != null) {
        hnsw.close();
        hnsw = null;
      }
      deleteFolder(graphDir);
      Files.move(next, graphDir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      HnswGraph g = HnswGraph.openSaved(FSDirectory.open(graphDir), pool);
      if (g == null) {
        throw new IOException("the graph just built in " + graphDir + " cannot be opened");
      }
      replaceGraph(g, null);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Under the write lock: {@code g} serves from now on; what it lacks is searched exactly beside it. */
  private void replaceGraph(HnswGraph g, long[] graphIds) {
    if (hnsw != null && hnsw != g) {
      hnsw.close();
    }
    hnsw = g;
    java.util.Set<Long> in = new java.util.HashSet<>();
    for (long id : graphIds != null ? graphIds : g.faceIds()) {
      in.add(id);
    }
    sinceGraph.clear();
    for (int i = 0; i < vectors.size(); i++) {
      if (!in.contains(ids[i])) {
        sinceGraph.add(ids[i]);
      }
    }
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

  /** Whether an HNSW graph is serving (else HNSW searches use the int8 scan while one is built). */
  public boolean hasGraph() {
    lock.readLock().lock();
    try {
      return hnsw != null;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether the serving graph holds this face (for tests of what a graph may contain). */
  boolean graphHolds(long faceId) {
    lock.readLock().lock();
    try {
      return hnsw != null && java.util.Arrays.stream(hnsw.faceIds()).anyMatch(id -> id == faceId);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Templates searched exactly beside the HNSW graph (added since it was built); 0 without a graph. */
  public int outsideGraph() {
    lock.readLock().lock();
    try {
      return hnsw == null ? 0 : sinceGraph.size();
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

  /**
   * Deletes a saved graph and any half-built one beside it (left by a process that died while
   * building): their files hold template vectors, and a deletion must not leave them behind.
   */
  public static void deleteSavedGraph(Path graphDir) {
    if (graphDir != null) {
      deleteFolder(graphDir);
      deleteFolder(building(graphDir));
    }
  }

  /** Where a new graph is built before it is moved into place. */
  private static Path building(Path graphDir) {
    return graphDir.resolveSibling(graphDir.getFileName() + ".building");
  }

  private static void deleteFolder(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the saved index " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes the HNSW graph current now and waits for it (expert: otherwise the first HNSW search
   * starts the build in the background and is answered by the int8 scan until it is done).
   */
  public void prepareHnsw() {
    java.util.concurrent.CompletableFuture<Void> f;
    lock.readLock().lock();
    try {
      synchronized (this) {
        boolean busy = building != null && !building.isDone();
        if (hnsw != null && !stale() && !busy) {
          return;
        }
        f = startBuild();
      }
    } finally {
      lock.readLock().unlock();
    }
    try {
      f.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
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
