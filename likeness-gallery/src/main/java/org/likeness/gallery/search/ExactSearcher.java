package org.likeness.gallery.search;

import java.util.List;
import org.apache.lucene.util.VectorUtil;

/** Every float template compared with the probe (Lucene's SIMD dot product). */
final class ExactSearcher implements VectorSearcher {
  private final VectorStorage storage;
  private final FlatScanner scanner;

  ExactSearcher(VectorStorage storage, FlatScanner scanner) {
    this.storage = storage;
    this.scanner = scanner;
  }

  @Override
  public List<Hit> search(float[] probe, int k) {
    return scanner.scan(storage, k, i -> VectorUtil.dotProduct(probe, storage.vector(i)));
  }
}
