package org.likeness.gallery.cluster;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.apache.lucene.util.VectorUtil;
import org.likeness.gallery.search.Int8Quantizer;

/**
 * The similarity graph of many faces from each face's nearest neighbours, both directions kept:
 * what re-clustering uses when scoring every pair is too much. Average linkage on it only misses
 * pairs outside every neighbour list, which are far below the link threshold for faces of one
 * person.
 *
 * <p>Above {@link Partition#EXACT_UP_TO} faces the neighbours are searched in cells (an inverted
 * file): spherical k-means cuts the faces into about sqrt(n) cells, each face belongs to its nearest
 * cell and is compared with every member of its {@code probes} nearest cells. The work runs cell by
 * cell, so a cell's members stay in cache while every face probing it passes: at 1M faces this is
 * about 8 billion dot products, against a graph index's 1M searches of random memory (measured in
 * docs/BENCHMARKS.md, with the share of true neighbours found).
 */
public final class NeighbourGraph {
  private NeighbourGraph() {}

  /**
   * How the faces are cut: {@code cells} k-means cells, each face compared with the members of its
   * {@code probes} nearest. One cell is the exact graph. Expert: {@link #forSize} chooses.
   */
  public record Partition(int cells, int probes) implements java.io.Serializable {
    /** Up to this many faces the graph is exact (every pair scored once for its k nearest). */
    public static final int EXACT_UP_TO = 20_000;
    /** Probes per face above the exact size: the share of true neighbours found is measured with it. */
    public static final int PROBES = 32;

    /** Checks the counts. */
    public Partition {
      if (cells < 1 || probes < 1 || probes > cells) {
        throw new IllegalArgumentException("need 1 <= probes <= cells, got " + probes + " of " + cells);
      }
    }

    /** The partition for {@code n} faces: exact up to {@link #EXACT_UP_TO}, else sqrt(n) cells and {@link #PROBES} probes (measured: docs/BENCHMARKS.md). */
    public static Partition forSize(int n) {
      if (n <= EXACT_UP_TO) {
        return new Partition(1, 1);
      }
      return new Partition((int) Math.round(Math.sqrt(n)), PROBES);
    }
  }

  /** The graph of unit templates {@code e}: each face's {@code k} nearest at similarity >= {@code floor}. */
  public static SimilarityGraph of(float[][] e, int k, float floor, ForkJoinPool pool) {
    return of(e, k, floor, Partition.forSize(e.length), pool);
  }

  /** The same with a chosen partition (expert: for measuring what the cells cost in recall). */
  public static SimilarityGraph of(float[][] e, int k, float floor, Partition partition, ForkJoinPool pool) {
    int n = e.length;
    if (n == 0) {
      return SimilarityGraph.of(new int[0][], new float[0][], e);
    }
    int[][] probe = probes(e, centres(e, partition, pool), partition, pool);
    int cells = Arrays.stream(probe).mapToInt(p -> p[0]).max().orElse(0) + 1;
    Codes codes = Codes.of(e, pool);
    int[][] members = invert(probe, cells, true);
    int[][] askers = invert(probe, cells, false);
    int keep = keep(k);
    Nearest nearest = new Nearest(n, keep);
    // Tasks of one cell and up to 512 of the faces probing it: cells differ in size, and one cell is the whole exact graph.
    long[] tasks = IntStream.range(0, cells).boxed()
        .flatMapToLong(c -> IntStream.range(0, (askers[c].length + 511) / 512).mapToLong(b -> ((long) c << 32) | b))
        .toArray();
    SphericalKMeans.run(pool, () -> Arrays.stream(tasks).parallel().forEach(task -> {
      int c = (int) (task >>> 32);
      int from = (int) task * 512;
      scoreCell(members[c], askers[c], from, Math.min(askers[c].length, from + 512), codes, keep, floor, nearest::offer);
    }));
    nearest.rescore(e, floor, k, pool);
    return nearest.symmetric(e);
  }

  /** Builds a neighbour graph: {@link #of} here, or the same cells scored on a cluster. */
  @FunctionalInterface
  public interface Builder {
    SimilarityGraph build(float[][] e, int k, float floor, Partition partition);

    /** Where the graph is built, for answers and logs. */
    default String describe() {
      return "built elsewhere";
    }
  }

  /** The cell centres for {@code e} under {@code partition} (seeded: the same faces always give the same cells); null for one cell. */
  public static float[][] centres(float[][] e, Partition partition, ForkJoinPool pool) {
    int cells = Math.min(partition.cells(), e.length);
    return cells <= 1 ? null : new SphericalKMeans(cells, 8, 42).train(e, 64 * cells, pool);
  }

  /** The cells face {@code v} probes, its own (nearest) first; {0} when there are no centres. */
  public static int[] probes(float[][] centres, float[] v, Partition partition) {
    return centres == null ? new int[] {0} : SphericalKMeans.nearest(centres, v, Math.min(partition.probes(), centres.length));
  }

  private static int[][] probes(float[][] e, float[][] centres, Partition partition, ForkJoinPool pool) {
    int[][] probe = new int[e.length][];
    SphericalKMeans.run(pool, () -> IntStream.range(0, e.length).parallel().forEach(i -> probe[i] = probes(centres, e[i], partition)));
    return probe;
  }

  /** Candidates kept per face before the float re-score: int8 ranks near the k-th place are approximate, a margin. */
  public static int keep(int k) {
    return k + (k + 1) / 2;
  }

  /** The templates in int8 with one scale each: candidates are scored so (half the time of float, a quarter of the memory traffic). */
  public record Codes(byte[][] code, float[] scale) implements java.io.Serializable {
    /** The codes of {@code e}. */
    public static Codes of(float[][] e, ForkJoinPool pool) {
      int n = e.length, dim = e.length == 0 ? 0 : e[0].length;
      byte[][] code = new byte[n][dim];
      float[] scale = new float[n];
      SphericalKMeans.run(pool, () -> IntStream.range(0, n).parallel().forEach(i -> scale[i] = Int8Quantizer.quantize(e[i], code[i])));
      return new Codes(code, scale);
    }
  }

  /** Hears one face's best candidates from one cell: ids and int8 similarities, best first, {@code count} of them. */
  @FunctionalInterface
  public interface Sink {
    void offer(int face, int[] ids, float[] sims, int count);
  }

  /**
   * Scores askers {@code from} to {@code to} of a cell against its members (faces whose nearest cell
   * it is) in int8, and hands each asker's best {@code keep} at or above {@code floor} to {@code sink}.
   */
  public static void scoreCell(int[] members, int[] askers, int from, int to, Codes codes, int keep, float floor, Sink sink) {
    int[] m = members;
    byte[][] mc = new byte[m.length][];
    float[] ms = new float[m.length];
    for (int t = 0; t < m.length; t++) {
      mc[t] = codes.code()[m[t]];
      ms[t] = codes.scale()[m[t]];
    }
    int[] id = new int[keep];
    float[] sim = new float[keep];
    for (int a = from; a < to; a++) {
      int q = askers[a];
      byte[] v = codes.code()[q];
      float vs = codes.scale()[q];
      int count = 0;
      for (int t = 0; t < m.length; t++) {
        if (m[t] == q) {
          continue;
        }
        float s = VectorUtil.dotProduct(v, mc[t]) * vs * ms[t];
        if (s >= floor && (count < keep || s > sim[keep - 1])) {
          count = insert(id, sim, count, m[t], s);
        }
      }
      sink.offer(q, id, sim, count);
    }
  }

  /** Faces per cell: by their nearest cell only ({@code primary}), or by every cell they probe. */
  private static int[][] invert(int[][] probe, int cells, boolean primary) {
    int[] count = new int[cells];
    for (int[] p : probe) {
      for (int t = 0; t < (primary ? 1 : p.length); t++) {
        count[p[t]]++;
      }
    }
    int[][] out = new int[cells][];
    for (int c = 0; c < cells; c++) {
      out[c] = new int[count[c]];
    }
    Arrays.fill(count, 0);
    for (int i = 0; i < probe.length; i++) {
      for (int t = 0; t < (primary ? 1 : probe[i].length); t++) {
        int c = probe[i][t];
        out[c][count[c]++] = i;
      }
    }
    return out;
  }

  /** Inserts (j, s) into the descending list of {@code count} entries capped at its length; the new count. */
  public static int insert(int[] id, float[] sim, int count, int j, float s) {
    int k = id.length;
    int at = Math.min(count, k - 1);
    while (at > 0 && sim[at - 1] < s) {
      sim[at] = sim[at - 1];
      id[at] = id[at - 1];
      at--;
    }
    sim[at] = s;
    id[at] = j;
    return Math.min(count + 1, k);
  }

  /** Each face's k best neighbours so far, merged from the cells it probes (a face is in one cell: no pair comes twice). Thread-safe. */
  public static final class Nearest {
    private final int k;
    private final int[] id;
    private final float[] sim;
    private final int[] count;
    private final Object[] locks = new Object[1024];

    /** Room for {@code k} candidates of each of {@code n} faces. */
    public Nearest(int n, int k) {
      this.k = k;
      this.id = new int[n * k];
      this.sim = new float[n * k];
      this.count = new int[n];
      for (int i = 0; i < locks.length; i++) {
        locks[i] = new Object();
      }
    }

    /** Merges {@code m} candidates of face {@code q} (best first) into its list. */
    public void offer(int q, int[] ids, float[] sims, int m) {
      if (m == 0) {
        return;
      }
      synchronized (locks[q & (locks.length - 1)]) {
        int base = q * k;
        int[] rowId = Arrays.copyOfRange(id, base, base + k);
        float[] rowSim = Arrays.copyOfRange(sim, base, base + k);
        int c = count[q];
        for (int t = 0; t < m; t++) {
          if (c < k || sims[t] > rowSim[k - 1]) {
            c = insert(rowId, rowSim, c, ids[t], sims[t]);
          }
        }
        System.arraycopy(rowId, 0, id, base, k);
        System.arraycopy(rowSim, 0, sim, base, k);
        count[q] = c;
      }
    }

    /** Re-scores the pairs kept in float and keeps each face's {@code best} at or above {@code floor}. */
    public void rescore(float[][] e, float floor, int best, ForkJoinPool pool) {
      SphericalKMeans.run(pool, () -> IntStream.range(0, count.length).parallel().forEach(i -> {
        int base = i * k;
        int[] rowId = new int[best];
        float[] rowSim = new float[best];
        int u = 0;
        for (int t = 0; t < count[i]; t++) {
          int j = id[base + t];
          float s = VectorUtil.dotProduct(e[i], e[j]);
          if (s >= floor && (u < best || s > rowSim[best - 1])) {
            u = insert(rowId, rowSim, u, j, s);
          }
        }
        System.arraycopy(rowId, 0, id, base, u);
        System.arraycopy(rowSim, 0, sim, base, u);
        count[i] = u;
      }));
    }

    /** The graph with each found pair as an edge of both faces, once. */
    public SimilarityGraph symmetric(float[][] e) {
      int n = count.length;
      int[] degree = count.clone();
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < count[i]; t++) {
          degree[id[i * k + t]]++;
        }
      }
      long[][] row = new long[n][];
      for (int i = 0; i < n; i++) {
        row[i] = new long[degree[i]];
      }
      int[] fill = new int[n];
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < count[i]; t++) {
          int j = id[i * k + t];
          int bits = Float.floatToRawIntBits(sim[i * k + t]);
          row[i][fill[i]++] = pack(j, bits);
          row[j][fill[j]++] = pack(i, bits);
        }
      }
      int[][] nb = new int[n][];
      float[][] s = new float[n][];
      for (int i = 0; i < n; i++) {
        long[] r = row[i];
        Arrays.sort(r); // by neighbour id: a pair found from both ends sits twice, side by side
        int u = 0;
        for (int t = 0; t < r.length; t++) {
          if (t == 0 || (r[t] >>> 32) != (r[t - 1] >>> 32)) {
            r[u++] = r[t];
          }
        }
        nb[i] = new int[u];
        s[i] = new float[u];
        for (int t = 0; t < u; t++) {
          nb[i][t] = (int) (r[t] >>> 32);
          s[i][t] = Float.intBitsToFloat((int) r[t]);
        }
        row[i] = null;
      }
      return SimilarityGraph.of(nb, s, e);
    }

    private static long pack(int j, int bits) {
      return ((long) j << 32) | (bits & 0xffffffffL);
    }
  }
}
