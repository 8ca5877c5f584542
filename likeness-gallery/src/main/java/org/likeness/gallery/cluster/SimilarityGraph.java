package org.likeness.gallery.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.lucene.util.VectorUtil;

/**
 * Pairs of faces worth comparing, as adjacency lists with their similarities, beside the unit
 * templates they came from: every pair at or above a floor ({@link #of(float[][], float)}, all pairs
 * scored once, in parallel, with Lucene's SIMD dot product), or each face's nearest
 * ({@link NeighbourGraph}). Methods that only see edges treat a missing pair as unrelated; average
 * linkage uses the edges to find candidate merges and the templates for exact means.
 */
public final class SimilarityGraph {
  private final int[][] neighbours;
  private final float[][] similarities;
  private final float[][] templates;

  private SimilarityGraph(int[][] neighbours, float[][] similarities, float[][] templates) {
    if (neighbours.length != similarities.length || neighbours.length != templates.length) {
      throw new IllegalArgumentException("one neighbour row, one similarity row and one template per face");
    }
    this.neighbours = neighbours;
    this.similarities = similarities;
    this.templates = templates;
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
    return new SimilarityGraph(nb, sim, e);
  }

  /** A graph given as adjacency lists over {@code templates} (for instance each face's nearest); rows are kept as given. */
  public static SimilarityGraph of(int[][] neighbours, float[][] similarities, float[][] templates) {
    return new SimilarityGraph(neighbours, similarities, templates);
  }

  /** Faces in the graph. */
  public int size() {
    return neighbours.length;
  }

  /** The unit template of face {@code i} (shared, not copied: do not change it). */
  public float[] template(int i) {
    return templates[i];
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
