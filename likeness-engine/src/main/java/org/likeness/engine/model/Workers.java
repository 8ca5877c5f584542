package org.likeness.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The engine's inference threads. Small models (a 320x240 detector tile, a 112x112 face) scale
 * poorly inside one ONNX Runtime run, so the engine runs single-threaded sessions on several
 * items at once instead: tiles of one image, faces of one image.
 */
public final class Workers implements AutoCloseable {
  private final int threads;
  private final ExecutorService pool;

  public Workers(int threads) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive");
    }
    this.threads = threads;
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "likeness-inference");
      t.setDaemon(true);
      return t;
    });
  }

  public int threads() {
    return threads;
  }

  /** {@code f} applied to every item, in order; items run concurrently when there are several threads. */
  public <T, R> List<R> map(List<T> items, Function<T, R> f) {
    if (pool == null || items.size() <= 1) {
      List<R> out = new ArrayList<>(items.size());
      for (T t : items) {
        out.add(f.apply(t));
      }
      return out;
    }
    List<Future<R>> futures = new ArrayList<>(items.size());
    for (T t : items) {
      futures.add(pool.submit(() -> f.apply(t)));
    }
    List<R> out = new ArrayList<>(items.size());
    try {
      for (Future<R> fu : futures) {
        out.add(fu.get());
      }
      return out;
    } catch (InterruptedException e) {
      futures.forEach(fu -> fu.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      futures.forEach(fu -> fu.cancel(true));
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
