package org.likeness.gallery.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Keeps the k best (id, score) pairs seen: a bounded min-heap. Not thread-safe; merge per-thread instances. */
final class TopK {
  private final int k;
  private final PriorityQueue<Hit> heap;

  TopK(int k) {
    this.k = k;
    this.heap = new PriorityQueue<>(Math.max(1, k), Comparator.comparingDouble(Hit::score));
  }

  /** The lowest score still in, or -infinity while not full. */
  float floor() {
    return heap.size() < k ? Float.NEGATIVE_INFINITY : heap.peek().score();
  }

  void offer(long id, float score) {
    if (k == 0) {
      return;
    }
    if (heap.size() < k) {
      heap.add(new Hit(id, score));
    } else if (score > heap.peek().score()) {
      heap.poll();
      heap.add(new Hit(id, score));
    }
  }

  void addAll(TopK other) {
    for (Hit h : other.heap) {
      offer(h.faceId(), h.score());
    }
  }

  /** Best first. */
  List<Hit> sorted() {
    List<Hit> out = new ArrayList<>(heap);
    out.sort(Collections.reverseOrder(Comparator.comparingDouble(Hit::score)));
    return out;
  }
}
