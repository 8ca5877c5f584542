package org.likeness.gallery.search;

import java.util.List;
import org.apache.lucene.util.VectorUtil;

/** Every template compared in int8 (a quarter of the memory traffic), the best re-scored in float. */
final class Int8Searcher implements VectorSearcher {
  private final VectorStorage storage;
  private final FlatScanner scanner;

  Int8Searcher(VectorStorage storage, FlatScanner scanner) {
    this.storage = storage;
    this.scanner = scanner;
  }

  @Override
  public List<Hit> search(float[] probe, int k) {
    return storage.rescore(probe, ids(candidates(probe, TemplateIndex.candidates(k))), k);
  }

  /** The n best by int8 score (approximate scores). */
  List<Hit> candidates(float[] probe, int n) {
    byte[] q = new byte[storage.dimension()];
    float ps = Int8Quantizer.quantize(probe, q);
    return scanner.scan(storage, n, i -> VectorUtil.dotProduct(q, storage.code(i)) * ps * storage.scale(i));
  }

  static List<Long> ids(List<Hit> hits) {
    return hits.stream().map(Hit::faceId).toList();
  }
}
