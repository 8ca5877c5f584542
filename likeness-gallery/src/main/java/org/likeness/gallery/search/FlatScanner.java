package org.likeness.gallery.search;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;

/**
 * Scores every slot of a {@link VectorStorage} and keeps the k best, split into chunks run on a
 * fork-join pool when the storage is large enough to gain from it.
 */
final class FlatScanner {
  /** Templates per parallel task: large enough to amortise the fork, small enough to balance 2+ cores. */
  private static final int CHUNK = 8192;

  /** The score of the template in one slot. */
  @FunctionalInterface
  interface SlotScorer {
    float score(int slot);
  }

  private final ForkJoinPool pool;

  FlatScanner(ForkJoinPool pool) {
    this.pool = pool;
  }

  List<Hit> scan(VectorStorage storage, int k, SlotScorer scorer) {
    int n = storage.size();
    if (n <= CHUNK || pool.getParallelism() == 1) {
      return range(storage, 0, n, k, scorer).sorted();
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
          return range(storage, from, to, k, scorer);
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

  private static TopK range(VectorStorage storage, int from, int to, int k, SlotScorer scorer) {
    TopK top = new TopK(k);
    for (int i = from; i < to; i++) {
      top.offer(storage.id(i), scorer.score(i));
    }
    return top;
  }
}
