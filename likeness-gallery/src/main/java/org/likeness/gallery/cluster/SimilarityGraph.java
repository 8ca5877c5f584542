package org.likeness.gallery.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.lucene.util.VectorUtil;

/**
 * Every pair of faces at or above a floor similarity, as adjacency lists (all pairs scored once,
 * in parallel, with Lucene's SIMD dot product). Below the floor two faces count as unrelated for
 * every method built on the graph.
 */
public final class SimilarityGraph {
  private final int[][] neighbours;
  private final float[][] similarities;

  private SimilarityGraph(int[][] neighbours, float[][] similarities) {
    this.neighbours = neighbours;
    this.similarities = similarities;
  }

  /** The graph of unit embeddings {@code e} with edges of similarity >= {@code floor}. */
  public static SimilarityGraph of(float[][] e, float floor) {
    int n = e.length;
    List<List<int[]>> rows = IntStream.range(0, n).parallel().mapToObj(i -> {
      List<int[]> row = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j != i) {
          float s = VectorUtil.dotProduct(e[i], e[j]);
          if (s >= floor) {
            row.add(new int[] {j, Float.floatToIntBits(s)});
          }
        }
      }
      return row;
    }).toList();
    int[][] nb = new int[n][];
    float[][] sim = new float[n][];
    for (int i = 0; i < n; i++) {
      List<int[]> row = rows.get(i);
      nb[i] = new int[row.size()];
      sim[i] = new float[row.size()];
      for (int k = 0; k < row.size(); k++) {
        nb[i][k] = row.get(k)[0];
        sim[i][k] = Float.intBitsToFloat(row.get(k)[1]);
      }
    }
    return new SimilarityGraph(nb, sim);
  }

  /** A graph given as adjacency lists (for instance the k nearest neighbours an index found); rows are kept as given. */
  public static SimilarityGraph of(int[][] neighbours, float[][] similarities) {
    if (neighbours.length != similarities.length) {
      throw new IllegalArgumentException("one similarity row per neighbour row");
    }
    return new SimilarityGraph(neighbours, similarities);
  }

  /** Faces in the graph. */
  public int size() {
    return neighbours.length;
  }

  /** Neighbours of {@code i} above the floor. */
  public int[] neighbours(int i) {
    return neighbours[i];
  }

  /** Their similarities, in the same order. */
  public float[] similarities(int i) {
    return similarities[i];
  }
}
