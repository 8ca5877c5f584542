package org.likeness.gallery.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.search.TemplateIndex;

/**
 * The similarity graph of many faces from each face's nearest neighbours (the gallery's index:
 * HNSW at scale), both directions kept: what re-clustering uses when scoring every pair is too
 * much. Average linkage on it only misses pairs outside every neighbour list, which are far below
 * the link threshold for faces of one person.
 */
public final class NeighbourGraph {
  private NeighbourGraph() {}

  /** The graph of unit templates {@code e}: each face's {@code k} nearest at similarity >= {@code floor}, searched in {@code pool}. */
  public static SimilarityGraph of(List<float[]> e, int dimension, int k, float floor, ForkJoinPool pool) {
    int n = e.size();
    try (TemplateIndex index = new TemplateIndex(dimension, pool)) {
      for (int i = 0; i < n; i++) {
        index.add(i, e.get(i));
      }
      // n searches: a graph pays for itself far below the size where one search would (a scan per face is n^2).
      SearchMethod method = n > 20_000 ? SearchMethod.HNSW : SearchMethod.EXACT;
      if (method == SearchMethod.HNSW) {
        index.prepareHnsw();
      }
      int[][] found = new int[n][];
      float[][] score = new float[n][];
      pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
        List<Hit> hits = index.search(e.get(i), k + 1, method);
        found[i] = hits.stream().filter(h -> h.faceId() != i && h.score() >= floor).mapToInt(h -> (int) h.faceId()).toArray();
        score[i] = new float[found[i].length];
        int j = 0;
        for (Hit h : hits) {
          if (h.faceId() != i && h.score() >= floor) {
            score[i][j++] = h.score();
          }
        }
      })).get();
      // Symmetrise: a pair found from either end is an edge of both.
      @SuppressWarnings("unchecked")
      Map<Integer, Float>[] adj = new Map[n];
      for (int i = 0; i < n; i++) {
        adj[i] = new HashMap<>();
      }
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < found[i].length; t++) {
          adj[i].put(found[i][t], score[i][t]);
          adj[found[i][t]].put(i, score[i][t]);
        }
      }
      int[][] nb = new int[n][];
      float[][] sim = new float[n][];
      for (int i = 0; i < n; i++) {
        nb[i] = new int[adj[i].size()];
        sim[i] = new float[adj[i].size()];
        int t = 0;
        for (var x : adj[i].entrySet()) {
          nb[i][t] = x.getKey();
          sim[i][t++] = x.getValue();
        }
        adj[i] = null;
      }
      return SimilarityGraph.of(nb, sim);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the neighbour graph", ex);
    } catch (ExecutionException ex) {
      throw new IllegalStateException(ex.getCause());
    }
  }
}
