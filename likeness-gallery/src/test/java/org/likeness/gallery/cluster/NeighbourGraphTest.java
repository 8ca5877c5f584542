package org.likeness.gallery.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

/**
 * The neighbour graph re-clustering builds: one cell is exactly the k nearest above the floor (both
 * directions), and cells lose almost none of the pairs average linkage can join. Seeded random
 * people; the seed is in every message.
 */
class NeighbourGraphTest {
  private static final int DIM = 64;
  private final long seed = Long.getLong("tests.seed", new Random().nextLong()); // -Dtests.seed=N replays a run
  private final Random random = new Random(seed);

  /** {@code people} x {@code each} unit faces: a random centre each, faces at similarity about 0.6 to each other. */
  private float[][] people(int people, int each) {
    float[][] e = new float[people * each][];
    for (int p = 0; p < people; p++) {
      float[] centre = unit(gaussian(1.0));
      for (int f = 0; f < each; f++) {
        float[] noise = gaussian(0.8);
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
          v[d] = centre[d] + noise[d];
        }
        e[p * each + f] = unit(v);
      }
    }
    return e;
  }

  private float[] gaussian(double norm) {
    float[] v = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) (random.nextGaussian() * norm / Math.sqrt(DIM));
    }
    return v;
  }

  private static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    for (int d = 0; d < v.length; d++) {
      v[d] /= (float) Math.sqrt(n);
    }
    return v;
  }

  /** The k nearest of {@code i} at or above {@code floor}, by brute force. */
  private static Set<Integer> nearest(float[][] e, int i, int k, float floor) {
    Integer[] order = new Integer[e.length];
    for (int j = 0; j < e.length; j++) {
      order[j] = j;
    }
    Arrays.sort(order, (a, b) -> Float.compare(VectorUtil.dotProduct(e[i], e[b]), VectorUtil.dotProduct(e[i], e[a])));
    Set<Integer> out = new HashSet<>();
    for (Integer j : order) {
      if (out.size() == k) {
        break;
      }
      if (j != i && VectorUtil.dotProduct(e[i], e[j]) >= floor) {
        out.add(j);
      }
    }
    return out;
  }

  @Test
  void oneCellIsTheExactGraphBothWays() {
    float[][] e = people(150, 4);
    int k = 6;
    SimilarityGraph g = NeighbourGraph.of(e, k, 0.1f, new NeighbourGraph.Partition(1, 1), ForkJoinPool.commonPool());
    List<Set<Integer>> near = new ArrayList<>();
    for (int i = 0; i < e.length; i++) {
      near.add(nearest(e, i, k, 0.1f));
    }
    for (int i = 0; i < e.length; i++) {
      Set<Integer> expected = new HashSet<>(near.get(i));
      for (int j = 0; j < e.length; j++) { // kept from either end
        if (j != i && near.get(j).contains(i)) {
          expected.add(j);
        }
      }
      Set<Integer> got = new HashSet<>();
      int[] nb = g.neighbours(i);
      for (int t = 0; t < nb.length; t++) {
        got.add(nb[t]);
        assertThat(g.similarities(i)[t]).as("float similarity kept (seed %d)", seed) // a.b and b.a may differ in the last bit
            .isCloseTo(VectorUtil.dotProduct(e[i], e[nb[t]]), org.assertj.core.data.Offset.offset(1e-6f));
      }
      // Candidates are ranked in int8 first: a pair may differ only where it ties (within int8 rounding) with the k-th place.
      Set<Integer> differ = new HashSet<>(expected);
      differ.addAll(got);
      for (int j : differ) {
        if (expected.contains(j) != got.contains(j)) {
          float sij = VectorUtil.dotProduct(e[i], e[j]);
          assertThat(Math.min(Math.abs(sij - kth(e, i, near.get(i))), Math.abs(sij - kth(e, j, near.get(j)))))
              .as("face %d, pair %d at %f: expected %s, got %s (seed %d)", i, j, sij, expected, got, seed).isLessThan(0.01f);
        }
      }
    }
  }

  /** The lowest similarity among {@code i}'s exact nearest. */
  private static float kth(float[][] e, int i, Set<Integer> near) {
    float low = Float.POSITIVE_INFINITY;
    for (int j : near) {
      low = Math.min(low, VectorUtil.dotProduct(e[i], e[j]));
    }
    return low;
  }

  @Test
  void cellsKeepThePairsLinkageJoins() {
    float[][] e = people(1500, 4);
    int k = 16;
    SimilarityGraph g = NeighbourGraph.of(e, k, 0.2f, new NeighbourGraph.Partition(40, 12), ForkJoinPool.commonPool());
    long pairs = 0, found = 0;
    for (int i = 0; i < e.length; i += 7) {
      Set<Integer> edges = new HashSet<>();
      for (int j : g.neighbours(i)) {
        edges.add(j);
      }
      for (int j : nearest(e, i, k, (float) ClusterThresholds.DEFAULT.link())) {
        pairs++;
        found += edges.contains(j) ? 1 : 0;
      }
    }
    assertThat(pairs).isGreaterThan(500);
    // Over random seeds this recall ranges 0.969 to 0.982 (mean 0.976, sd 0.004): the bound sits six
    // deviations below the mean, so only a real loss trips it.
    assertThat((double) found / pairs).as("pairs >= the link found through 12 of 40 cells (seed %d)", seed).isGreaterThan(0.95);
    // The same people come out of average linkage on it as on the exact graph.
    int[] cells = new ConstrainedLinkage(ClusterThresholds.DEFAULT.link()).cluster(g);
    int[] exact = new ConstrainedLinkage(ClusterThresholds.DEFAULT.link()).cluster(SimilarityGraph.of(e, 0.2f));
    int same = 0;
    for (int i = 0; i < e.length; i++) {
      same += cells[i] == cells[i - i % 4] == (exact[i] == exact[i - i % 4]) ? 1 : 0;
    }
    assertThat((double) same / e.length).as("faces placed alike (seed %d)", seed).isGreaterThan(0.98);
  }
}
