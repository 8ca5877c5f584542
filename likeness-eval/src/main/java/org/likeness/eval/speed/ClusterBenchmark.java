package org.likeness.eval.speed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.likeness.engine.geom.Box;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.cluster.ConstrainedLinkage;
import org.likeness.gallery.cluster.IncrementalAssigner;
import org.likeness.gallery.cluster.NeighbourGraph;
import org.likeness.gallery.cluster.SimilarityGraph;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.gallery.store.TemplateCipher;

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
    try (IncrementalAssigner a = new IncrementalAssigner(dimension, ClusterThresholds.DEFAULT.link(), pool)) {
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

  /**
   * A full re-clustering of {@code n} faces through the neighbour graph {@code partition} gives
   * (null: the production choice for that size), with the share of true neighbours the graph holds
   * on {@code recallSample} faces checked against an exact scan.
   */
  public Map<String, Object> full(int n, NeighbourGraph.Partition partition, int recallSample, ForkJoinPool pool,
      Consumer<String> log) {
    return full(n, partition, recallSample, pool, log, (e, k, floor, p) -> NeighbourGraph.of(e, k, floor, p, pool));
  }

  /** As {@link #full(int, NeighbourGraph.Partition, int, ForkJoinPool, Consumer)}, the graph built by {@code builder} (a cluster's). */
  public Map<String, Object> full(int n, NeighbourGraph.Partition partition, int recallSample, ForkJoinPool pool,
      Consumer<String> log, NeighbourGraph.Builder builder) {
    SearchBenchmark.Data d = data.generate(n, 0);
    float[][] e = d.templates().toArray(new float[0][]);
    NeighbourGraph.Partition p = partition != null ? partition : NeighbourGraph.Partition.forSize(n);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("sightings", n);
    r.put("cells", p.cells());
    r.put("probes", p.probes());
    long t0 = System.nanoTime();
    SimilarityGraph g = builder.build(e, IncrementalAssigner.NEIGHBOURS, FLOOR, p);
    r.put("graphSeconds", seconds(t0));
    log.accept("neighbour graph of " + n + " in " + r.get("graphSeconds") + " s");
    long t1 = System.nanoTime();
    int[] label = new ConstrainedLinkage(ClusterThresholds.DEFAULT.link()).cluster(g);
    r.put("linkageSeconds", seconds(t1));
    r.put("totalSeconds", seconds(t0));
    log.accept("average linkage in " + r.get("linkageSeconds") + " s");
    int[] truth = new int[n];
    for (int i = 0; i < n; i++) {
      truth[i] = i / SearchBenchmark.PER_IDENTITY;
    }
    double[] pr = bcubed(label, truth);
    r.put("clusters", Arrays.stream(label).distinct().count());
    r.put("bcubedPrecision", round(pr[0]));
    r.put("bcubedRecall", round(pr[1]));
    r.putAll(recall(e, g, recallSample, pool));
    return r;
  }

  /**
   * The same re-clustering end to end, as {@code clusters rebuild} runs it: {@code n} sightings
   * stored (sealed with AES-GCM, as a server with a key keeps them) in scans of 1,000 faces in a
   * fresh store under {@code home}, then {@link ClusterService#rebuild} (read and decrypt every
   * template, neighbour graph, average linkage, write every membership), then one scan of
   * {@code fresh} new faces placed by {@link ClusterService#update} twice over (the first update
   * loads the assigner, the second finds it kept).
   */
  public Map<String, Object> stored(int n, int fresh, Path home, ForkJoinPool pool, Consumer<String> log) {
    return stored(n, fresh, home, pool, log, null);
  }

  /** As {@link #stored(int, int, Path, ForkJoinPool, Consumer)}, the rebuild's neighbour graph built by {@code graphs} (null: here). */
  public Map<String, Object> stored(int n, int fresh, Path home, ForkJoinPool pool, Consumer<String> log, NeighbourGraph.Builder graphs) {
    SearchBenchmark.Data d = data.generate(n + 2 * fresh, 0);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("sightings", n);
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    try (GalleryStore store = GalleryStore.open(home, new TemplateCipher(key)); AuditLog audit = AuditLog.open(home);
        GalleryService galleries = new GalleryService(store, audit, null);
        ClusterService clusters = new ClusterService(store, galleries, audit, "synthetic", dimension, ClusterThresholds.DEFAULT)) {
      ScanStore scans = store.repositories().scans();
      Map<Long, Integer> person = new java.util.HashMap<>();
      long t0 = System.nanoTime();
      for (int from = 0; from < n; from += 1000) {
        save(scans, d, from, Math.min(n, from + 1000), person);
      }
      r.put("storeSeconds", seconds(t0));
      log.accept("stored " + n + " sightings in " + r.get("storeSeconds") + " s");
      long t1 = System.nanoTime();
      var rebuilt = clusters.rebuild("bench", graphs);
      r.put("rebuildSeconds", seconds(t1));
      r.put("graph", rebuilt.graph());
      log.accept("rebuilt in " + r.get("rebuildSeconds") + " s: " + rebuilt);
      Map<Long, Integer> label = new java.util.HashMap<>();
      for (ClusterStore.Cluster c : clusters.store().clusters("synthetic")) {
        for (ClusterStore.Member m : clusters.store().members(c.id())) {
          label.put(m.sightingId(), (int) c.id());
        }
      }
      int[] l = new int[person.size()], t = new int[person.size()];
      int i = 0;
      for (var e : person.entrySet()) {
        l[i] = label.getOrDefault(e.getKey(), -1 - i);
        t[i++] = e.getValue();
      }
      double[] pr = bcubed(l, t);
      r.put("clusters", rebuilt.clusters());
      r.put("bcubedPrecision", round(pr[0]));
      r.put("bcubedRecall", round(pr[1]));
      for (int round = 0; round < 2; round++) { // the first update loads the assigner; the second finds it kept
        save(scans, d, n + round * fresh, n + (round + 1) * fresh, person);
        long t2 = System.nanoTime();
        var u = clusters.update("bench");
        r.put(round == 0 ? "firstUpdateSeconds" : "keptUpdateSeconds", seconds(t2));
        r.put(round == 0 ? "firstUpdateJoined" : "keptUpdateJoined", u.joinedClusters());
        log.accept("update of " + fresh + " new sightings in " + seconds(t2) + " s: " + u);
      }
    }
    return r;
  }

  private static void save(ScanStore scans, SearchBenchmark.Data d, int from, int to, Map<Long, Integer> person) {
    List<StoredSighting.New> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(new StoredSighting.New(i - from + 1, null, null, 1, null, new Box(0, 0, 100, 100), "{\"score\":0.9}", "[]",
          d.templates().get(i), null, null));
    }
    String name = "synthetic-" + from;
    StoredScan s = scans.save(new ScanStore.NewMedia(String.format("%064x", from), "photo", name, 1, null, null, 1000, 1000, null),
        "synthetic", null, null, 1, null, rows).scan();
    List<StoredSighting> stored = scans.sightings(s.id());
    for (int i = 0; i < stored.size(); i++) {
      person.put(stored.get(i).id(), (from + i) / SearchBenchmark.PER_IDENTITY);
    }
  }

  private static final float FLOOR = 0.2f;

  /**
   * Of the {@code k} nearest neighbours an exact scan finds for {@code sample} seeded faces, the
   * share the graph holds: over all of them above the floor, and over those at or above the link
   * threshold (the pairs average linkage can join).
   */
  static Map<String, Object> recall(float[][] e, SimilarityGraph g, int sample, ForkJoinPool pool) {
    int n = e.length;
    int m = Math.min(sample, n);
    int k = IncrementalAssigner.NEIGHBOURS;
    java.util.Random rnd = new java.util.Random(7);
    int[] who = rnd.ints(0, n).distinct().limit(m).toArray();
    long[][] counts = new long[m][];
    try {
      pool.submit(() -> java.util.stream.IntStream.range(0, m).parallel().forEach(x -> {
        int i = who[x];
        float[] best = new float[k];
        int[] bestId = new int[k];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < n; j++) {
          if (j == i) {
            continue;
          }
          float s = org.apache.lucene.util.VectorUtil.dotProduct(e[i], e[j]);
          if (s > best[k - 1]) { // the list is always full: unfilled places hold -infinity
            NeighbourGraph.insert(bestId, best, k, j, s);
          }
        }
        java.util.Set<Integer> edges = new java.util.HashSet<>();
        for (int j : g.neighbours(i)) {
          edges.add(j);
        }
        long floorTotal = 0, floorFound = 0, linkTotal = 0, linkFound = 0;
        for (int t = 0; t < k; t++) {
          if (best[t] >= FLOOR) {
            floorTotal++;
            floorFound += edges.contains(bestId[t]) ? 1 : 0;
          }
          if (best[t] >= ClusterThresholds.DEFAULT.link()) {
            linkTotal++;
            linkFound += edges.contains(bestId[t]) ? 1 : 0;
          }
        }
        counts[x] = new long[] {floorTotal, floorFound, linkTotal, linkFound};
      })).get();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    } catch (java.util.concurrent.ExecutionException ex) {
      throw new IllegalStateException(ex.getCause());
    }
    long[] sum = new long[4];
    for (long[] c : counts) {
      for (int t = 0; t < 4; t++) {
        sum[t] += c[t];
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("recallSample", m);
    r.put("neighbourRecall", sum[0] == 0 ? 1.0 : round((double) sum[1] / sum[0]));
    r.put("linkPairs", sum[2]);
    r.put("linkPairRecall", sum[2] == 0 ? 1.0 : round((double) sum[3] / sum[2]));
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
