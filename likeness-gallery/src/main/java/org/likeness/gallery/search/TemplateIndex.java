package org.likeness.gallery.search;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * In-memory search over a gallery's templates, derived from the store. Wires the parts: the
 * {@link VectorStorage} (float and int8 copies), one {@link VectorSearcher} per
 * {@link SearchMethod}, and the {@link GraphRefresher} that keeps the HNSW graph current (saved in
 * a {@link SavedGraphDirectory} when one is given). Searches share a read lock; changes take the
 * write lock. Dot products are Lucene's {@code VectorUtil} kernels (SIMD through the JDK's Vector
 * API when {@code jdk.incubator.vector} is enabled). Thread-safe.
 */
public final class TemplateIndex implements AutoCloseable {
  /** Candidates re-scored in float per result asked for, for INT8 and HNSW. */
  static final int RERANK_FACTOR = 10;
  /** Below this many templates outside the graph, it is never rebuilt for staleness. */
  public static final int STALE_MIN = GraphRefresher.STALE_MIN;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final VectorStorage storage;
  private final GraphRefresher graphs;
  private final Map<SearchMethod, VectorSearcher> searchers = new EnumMap<>(SearchMethod.class);

  /** An index whose HNSW graph lives in memory only. */
  public TemplateIndex(int dimension, ForkJoinPool pool) {
    this(dimension, pool, null, GraphGate.OPEN);
  }

  /** An index whose HNSW graph is saved in {@code graphDir} and reused by later processes while still valid. */
  public TemplateIndex(int dimension, ForkJoinPool pool, Path graphDir) {
    this(dimension, pool, new SavedGraphDirectory(graphDir), GraphGate.OPEN);
  }

  /**
   * An index whose graph is saved in {@code saved} (null: in memory only) and published through
   * {@code gate}, which checks the system of record for faces deleted while it was built.
   */
  public TemplateIndex(int dimension, ForkJoinPool pool, SavedGraphDirectory saved, GraphGate gate) {
    this.storage = new VectorStorage(dimension);
    this.graphs = new GraphRefresher(storage, lock, pool, saved, gate);
    FlatScanner scanner = new FlatScanner(pool);
    Int8Searcher int8 = new Int8Searcher(storage, scanner);
    searchers.put(SearchMethod.EXACT, new ExactSearcher(storage, scanner));
    searchers.put(SearchMethod.INT8, int8);
    searchers.put(SearchMethod.HNSW, new HnswSearcher(storage, graphs, int8));
  }

  /** Float candidates re-scored for a search of {@code k}. */
  static int candidates(int k) {
    return Math.max(k * RERANK_FACTOR, 100);
  }

  public int dimension() {
    return storage.dimension();
  }

  /** Templates held. */
  public int size() {
    lock.readLock().lock();
    try {
      return storage.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Adds (or replaces) a unit-length template; a no-op for one held as is. */
  public void add(long faceId, float[] template) {
    if (template.length != storage.dimension()) {
      throw new IllegalArgumentException("template of dimension " + template.length + ", index holds " + storage.dimension());
    }
    lock.writeLock().lock();
    try {
      if (storage.holds(faceId, template)) {
        return;
      }
      remove(faceId);
      storage.put(faceId, template);
      graphs.added(faceId);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes a template, from the graph and its saved copy too; returns whether it was there. */
  public boolean remove(long faceId) {
    lock.writeLock().lock();
    try {
      if (!storage.remove(faceId)) {
        return false;
      }
      graphs.removed();
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The k most similar templates by the chosen method, best first. */
  public List<Hit> search(float[] probe, int k, SearchMethod method) {
    lock.readLock().lock();
    try {
      return searchers.get(method.resolve(storage.size())).search(probe, k);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Makes the HNSW graph current now and waits for it (expert: otherwise the first HNSW search
   * starts the build in the background and is answered by the int8 scan until it is done).
   */
  public void prepareHnsw() {
    graphs.awaitCurrent();
  }

  /** Whether an HNSW graph is serving (else HNSW searches use the int8 scan while one is built). */
  public boolean hasGraph() {
    lock.readLock().lock();
    try {
      return graphs.graph() != null;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether the serving graph holds this face (for tests of what a graph may contain). */
  boolean graphHolds(long faceId) {
    lock.readLock().lock();
    try {
      LuceneHnswIndex g = graphs.graph();
      return g != null && Arrays.stream(g.faceIds()).anyMatch(id -> id == faceId);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Templates searched exactly beside the HNSW graph (added since it was built); 0 without a graph. */
  public int outsideGraph() {
    lock.readLock().lock();
    try {
      return graphs.graph() == null ? 0 : graphs.outside().size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Identifies the set of templates held (count and content), for the saved graph's validity. */
  public String fingerprint() {
    lock.readLock().lock();
    try {
      return storage.fingerprint();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Stops background builds and releases the graph. */
  @Override
  public void close() {
    graphs.close();
  }
}
