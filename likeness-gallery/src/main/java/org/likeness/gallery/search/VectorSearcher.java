package org.likeness.gallery.search;

import java.util.List;

/**
 * One way of finding the templates most similar to a probe (one implementation per
 * {@link SearchMethod}). Called under the index's read lock.
 */
public interface VectorSearcher {
  /** The k most similar templates, best first, scored by exact cosine similarity. */
  List<Hit> search(float[] probe, int k);
}
