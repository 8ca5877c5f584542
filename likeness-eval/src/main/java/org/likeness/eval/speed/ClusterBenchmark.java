package org.likeness.eval.speed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.cluster.ConstrainedLinkage;
import org.likeness.gallery.cluster.IncrementalAssigner;
import org.likeness.gallery.cluster.NeighbourGraph;
import org.likeness.gallery.cluster.SimilarityGraph;

/**
 * Unknown-face clustering at scale on the search benchmark's synthetic face-like templates
 * (people of 4 faces at similarity 0.6, strangers at 0 +- 0.086): placing new faces one by one in
 * the clusters of {@code n} faces (latency and how often the face lands with its own person), and
 * a full re-clustering of {@code n} faces (neighbour graph through the index, then average
 * linkage), with its BCubed precision and recall against the synthetic truth.
 */
public final class ClusterBenchmark {
  private final SearchBenchmark data;
  private final int dimension;

  /** Templates of {@code dimension} values from {@code seed}. */
  public ClusterBenchmark(int dimension, long seed) {
    this.data = new SearchBenchmark(dimension, seed);
    this.dimension = dimension;
  }

  /** Placing {@code queries} new faces in the clusters of {@code n} (each of its true person), index kind chosen by size. */
  public Map<String, Object> incremental(int n, int queries, ForkJoinPool pool, Consumer<String> log) {
    SearchBenchmark.Data d = data.generate(n, queries);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("sightings", n);
    try (IncrementalAssigner a = new IncrementalAssigner(dimension, ClusterService.LINK, pool)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        a.add(i, d.templates().get(i), 1 + i / SearchBenchmark.PER_IDENTITY);
      }
      r.put("loadSeconds", seconds(t0));
      log.accept("loaded " + n + " in " + r.get("loadSeconds") + " s");
      long t1 = System.nanoTime();
      org.likeness.gallery.search.SearchMethod method = org.likeness.gallery.search.SearchMethod.AUTO.resolve(n);
      if (method == org.likeness.gallery.search.SearchMethod.HNSW) { // as a server would have it: built once, ahead
        a.index().prepareHnsw();
      }
      r.put("indexBuildSeconds", seconds(t1));
      log.accept("index ready in " + r.get("indexBuildSeconds") + " s");
      // The probes are new faces of known people: their person's cluster is the right answer.
      long[] clusterOfProbe = truthOfProbes(d, n);
      double[] ms = new double[queries];
      int right = 0;
      for (int q = 0; q < queries; q++) {
        long s = System.nanoTime();
        IncrementalAssigner.Placement p = a.place(d.probes().get(q));
        ms[q] = (System.nanoTime() - s) / 1e6;
        if (p.cluster() == clusterOfProbe[q]) {
          right++;
        }
      }
      Arrays.sort(ms);
      r.put("method", method.name().toLowerCase(java.util.Locale.ROOT));
      r.put("placeMsMean", round(Arrays.stream(ms).average().orElse(0)));
      r.put("placeMsP50", round(ms[ms.length / 2]));
      r.put("placeMsP99", round(ms[(int) Math.min(ms.length - 1, Math.ceil(ms.length * 0.99) - 1)]));
      r.put("placedWithTheirPerson", round((double) right / queries));
    }
    return r;
  }

  /** The probes' true clusters: the generator draws each probe's person after the gallery (same seed, same sequence). */
  private long[] truthOfProbes(SearchBenchmark.Data d, int n) {
    long[] out = new long[d.probes().size()];
    java.util.Random rnd = new java.util.Random(data.seed());
    int identities = Math.max(1, n / SearchBenchmark.PER_IDENTITY);
    for (int i = 0; i < n; i++) { // replay the gallery's draws
      data.skipSample(rnd);
    }
    for (int q = 0; q < out.length; q++) {
      out[q] = 1 + rnd.nextInt(identities);
      data.skipSample(rnd);
    }
    return out;
  }

  /** A full re-clustering of {@code n} faces. */
  public Map<String, Object> full(int n, ForkJoinPool pool, Consumer<String> log) {
    SearchBenchmark.Data d = data.generate(n, 0);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("sightings", n);
    long t0 = System.nanoTime();
    SimilarityGraph g = NeighbourGraph.of(d.templates(), dimension, IncrementalAssigner.NEIGHBOURS, 0.2f, pool);
    r.put("graphSeconds", seconds(t0));
    log.accept("neighbour graph of " + n + " in " + r.get("graphSeconds") + " s");
    long t1 = System.nanoTime();
    int[] label = new ConstrainedLinkage(ClusterService.LINK).cluster(g);
    r.put("linkageSeconds", seconds(t1));
    r.put("totalSeconds", seconds(t0));
    int[] truth = new int[n];
    for (int i = 0; i < n; i++) {
      truth[i] = i / SearchBenchmark.PER_IDENTITY;
    }
    double[] pr = bcubed(label, truth);
    r.put("clusters", Arrays.stream(label).distinct().count());
    r.put("bcubedPrecision", round(pr[0]));
    r.put("bcubedRecall", round(pr[1]));
    return r;
  }

  private static double[] bcubed(int[] label, int[] truth) {
    Map<Integer, Integer> clusterSize = new java.util.HashMap<>(), classSize = new java.util.HashMap<>();
    Map<Long, Integer> both = new java.util.HashMap<>();
    for (int i = 0; i < label.length; i++) {
      clusterSize.merge(label[i], 1, Integer::sum);
      classSize.merge(truth[i], 1, Integer::sum);
      both.merge(((long) label[i] << 32) | (truth[i] & 0xffffffffL), 1, Integer::sum);
    }
    double p = 0, rc = 0;
    for (int i = 0; i < label.length; i++) {
      int common = both.get(((long) label[i] << 32) | (truth[i] & 0xffffffffL));
      p += (double) common / clusterSize.get(label[i]);
      rc += (double) common / classSize.get(truth[i]);
    }
    return new double[] {p / label.length, rc / label.length};
  }

  private static double seconds(long start) {
    return round((System.nanoTime() - start) / 1e9);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** Sizes as given, for reports. */
  public static List<Integer> sizes(List<Integer> s) {
    return new ArrayList<>(s);
  }
}
