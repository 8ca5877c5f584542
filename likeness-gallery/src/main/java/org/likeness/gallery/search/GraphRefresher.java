package org.likeness.gallery.search;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Keeps an HNSW graph over a {@link VectorStorage} current without making searches wait: builds
 * run in the background from a snapshot, the old graph (or the int8 scan) serves meanwhile, and
 * templates added since the graph was built are searched exactly beside it until they pass the one
 * staleness rule ({@link #tooStale}). A removal drops the graph at once; a graph built from a
 * snapshot older than a removal is discarded, and a graph written to disk is published only
 * through the {@link GraphGate}. Graph state is guarded by the index's lock.
 */
final class GraphRefresher implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GraphRefresher.class);
  /** Share of templates outside the graph beyond which it is rebuilt. */
  static final double STALE_FRACTION = 0.05;
  /** Below this many templates outside the graph, never rebuild for staleness. */
  static final int STALE_MIN = 1000;

  private final VectorStorage storage;
  private final ReadWriteLock lock;
  private final ForkJoinPool pool;
  private final SavedGraphDirectory saved;
  private final GraphGate gate;

  // Guarded by lock.
  private LuceneHnswIndex graph;
  private final Set<Long> outside = new LinkedHashSet<>();
  /** Bumped by every removal: a graph built from an older snapshot may hold a removed face. */
  private long generation;

  // Guarded by this.
  private CompletableFuture<Void> building;
  private boolean closed;

  /** {@code saved} null: the graph lives in memory only. */
  GraphRefresher(VectorStorage storage, ReadWriteLock lock, ForkJoinPool pool, SavedGraphDirectory saved, GraphGate gate) {
    this.storage = storage;
    this.lock = lock;
    this.pool = pool;
    this.saved = saved;
    this.gate = gate;
  }

  /** The one staleness rule: a graph that lacks more than this many of the templates is rebuilt, and a saved one is not reused. */
  static boolean tooStale(int outside, int inGraph) {
    return outside > Math.max(STALE_MIN, STALE_FRACTION * inGraph);
  }

  /** The serving graph or null (read lock held). */
  LuceneHnswIndex graph() {
    return graph;
  }

  /** Templates held but not in the graph (read lock held). */
  Set<Long> outside() {
    return outside;
  }

  /** A template was stored (write lock held). */
  void added(long faceId) {
    if (graph != null) {
      outside.add(faceId);
      if (tooStale(outside.size(), graph.size())) {
        requestBuild(); // the current graph keeps serving until the new one replaces it
      }
    }
  }

  /** A template was removed (write lock held): the graph and its saved copy go now, builds under way are discarded. */
  void removed() {
    generation++;
    dropGraph();
    if (saved != null) {
      saved.deleteLive();
    }
  }

  private void dropGraph() {
    if (graph != null) {
      graph.close();
    }
    graph = null;
    outside.clear();
  }

  /** Starts obtaining a graph over the current templates in the background unless that is under way. */
  CompletableFuture<Void> requestBuild() {
    synchronized (this) {
      if (closed) {
        return CompletableFuture.completedFuture(null);
      }
      if (building == null || building.isDone()) {
        building = CompletableFuture.runAsync(this::obtain, r -> Thread.ofPlatform().daemon().name("likeness-hnsw").start(r));
        building.whenComplete((ok, e) -> {
          if (e != null) {
            LOG.error("HNSW build failed; searches use the int8 scan until the next attempt", e);
          }
        });
      }
      return building;
    }
  }

  /** Makes the graph current and waits for it (expert: a one-shot process cannot leave it to the background). */
  void awaitCurrent() {
    CompletableFuture<Void> f;
    lock.readLock().lock();
    try {
      synchronized (this) {
        boolean busy = building != null && !building.isDone();
        if (graph != null && !tooStale(outside.size(), graph.size()) && !busy) {
          return;
        }
        f = requestBuild();
      }
    } finally {
      lock.readLock().unlock();
    }
    try {
      f.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * Builder thread: takes a snapshot, gets a graph for it (the saved one if it holds no template
   * that is gone and misses few enough, else a new one), and installs it unless a removal came
   * meanwhile (then starts over) or the gate finds a face of it deleted in the store (then stops:
   * the index catches up with that deletion first, and the next search asks again).
   */
  private void obtain() {
    while (!isClosed()) {
      List<float[]> vectors;
      long[] ids;
      long gen;
      String fingerprint;
      LuceneHnswIndex reuse = null;
      lock.readLock().lock();
      try {
        gen = generation;
        vectors = storage.vectors();
        ids = storage.ids();
        fingerprint = storage.fingerprint();
        if (saved != null && graph == null) {
          reuse = reusable(saved.open(pool));
        }
      } finally {
        lock.readLock().unlock();
      }
      if (reuse != null) {
        if (install(reuse, gen, null)) {
          return;
        }
        continue;
      }
      if (saved == null) {
        if (install(LuceneHnswIndex.build(vectors, ids, storage.dimension(), pool), gen, ids)) {
          return;
        }
        continue;
      }
      long t0 = System.nanoTime();
      LOG.info("building the HNSW graph of {} templates in {}", ids.length, saved.path());
      saved.build(vectors, ids, storage.dimension(), fingerprint, pool);
      boolean[] removedMeanwhile = {false};
      if (gate.installIfLive(ids, () -> publish(gen, removedMeanwhile))) {
        LOG.info("HNSW graph of {} templates built in {} s", ids.length, (System.nanoTime() - t0) / 1_000_000_000L);
        return;
      }
      saved.discardBuilt(); // it may hold a deleted face
      if (isClosed()) {
        return;
      }
      if (!removedMeanwhile[0]) {
        LOG.info("HNSW graph discarded: a face in it was deleted in the store while it was built");
        return;
      }
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** The saved graph if it holds only templates still here and misses few; else null, closed (read lock held). */
  private LuceneHnswIndex reusable(LuceneHnswIndex candidate) {
    if (candidate == null) {
      return null;
    }
    Set<Long> inGraph = new HashSet<>();
    for (long id : candidate.faceIds()) {
      if (!storage.contains(id)) { // deleted since: never serve it
        candidate.close();
        return null;
      }
      inGraph.add(id);
    }
    if (tooStale(storage.size() - inGraph.size(), inGraph.size())) {
      candidate.close();
      return null;
    }
    return candidate;
  }

  /** Installs a graph built from a snapshot taken at {@code gen}; false (graph closed) if a removal came since. */
  private boolean install(LuceneHnswIndex g, long gen, long[] graphIds) {
    lock.writeLock().lock();
    try {
      if (gen != generation || isClosed()) {
        g.close();
        return false;
      }
      replace(g, graphIds);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Moves the built graph into place and serves it; false if a removal came since (under the gate). */
  private boolean publish(long gen, boolean[] removedMeanwhile) {
    lock.writeLock().lock();
    try {
      if (gen != generation || isClosed()) {
        removedMeanwhile[0] = gen != generation;
        return false;
      }
      if (graph != null) {
        graph.close();
        graph = null;
      }
      replace(saved.publish(pool), null);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Under the write lock: {@code g} serves from now on; what it lacks is searched exactly beside it. */
  private void replace(LuceneHnswIndex g, long[] graphIds) {
    if (graph != null && graph != g) {
      graph.close();
    }
    graph = g;
    Set<Long> in = new HashSet<>();
    for (long id : graphIds != null ? graphIds : g.faceIds()) {
      in.add(id);
    }
    outside.clear();
    long[] held = storage.ids();
    for (long id : held) {
      if (!in.contains(id)) {
        outside.add(id);
      }
    }
  }

  /** How long {@link #close} waits for a build under way to stop writing (small graphs take milliseconds). */
  private static final long CLOSE_WAIT_SECONDS = 60;

  /**
   * Stops starting builds, waits (boundedly) for a build under way, which then discards what it
   * wrote instead of publishing it, and releases the graph: after close no thread of this index
   * writes files any more.
   */
  @Override
  public void close() {
    CompletableFuture<Void> underWay;
    synchronized (this) {
      closed = true;
      underWay = building;
    }
    if (underWay != null) {
      try {
        underWay.get(CLOSE_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        LOG.warn("HNSW build still running or failed at close: {}", e.toString());
      }
    }
    lock.writeLock().lock();
    try {
      dropGraph();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
