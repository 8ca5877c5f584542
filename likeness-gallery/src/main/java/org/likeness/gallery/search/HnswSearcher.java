package org.likeness.gallery.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Lucene's HNSW graph walked for candidates, plus the templates added since it was built, all
 * re-scored in float. Without a graph yet it starts one in the background and answers from the
 * int8 scan meanwhile: a search never waits for a build.
 */
final class HnswSearcher implements VectorSearcher {
  private final VectorStorage storage;
  private final GraphRefresher graphs;
  private final Int8Searcher fallback;

  HnswSearcher(VectorStorage storage, GraphRefresher graphs, Int8Searcher fallback) {
    this.storage = storage;
    this.graphs = graphs;
    this.fallback = fallback;
  }

  @Override
  public List<Hit> search(float[] probe, int k) {
    int n = TemplateIndex.candidates(k);
    LuceneHnswIndex graph = graphs.graph();
    if (graph == null) {
      graphs.requestBuild();
      return fallback.search(probe, k);
    }
    List<Long> candidates = new ArrayList<>(Int8Searcher.ids(graph.search(probe, n)));
    candidates.addAll(graphs.outside());
    return storage.rescore(probe, candidates, k);
  }
}
