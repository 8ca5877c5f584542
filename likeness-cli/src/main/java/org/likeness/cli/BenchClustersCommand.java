package org.likeness.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.likeness.eval.speed.ClusterBenchmark;
import org.likeness.gallery.cluster.NeighbourGraph;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code likeness bench clusters}: incremental placement and full re-clustering at scale (see docs/BENCHMARKS.md). */
@Command(name = "clusters", mixinStandardHelpOptions = true,
    description = "Unknown-face clustering at scale on synthetic face-like templates: placing a new face, and re-clustering everything.")
final class BenchClustersCommand implements Callable<Integer> {
  @Option(names = "--sizes", split = ",", description = "Sightings (default: ${DEFAULT-VALUE}).") List<Integer> sizes = List.of(100_000);
  @Option(names = "--full-sizes", split = ",", description = "Sizes to re-cluster in full (default: ${DEFAULT-VALUE}).")
  List<Integer> fullSizes = List.of(100_000);
  @Option(names = "--stored-sizes", split = ",", description = "Sizes to re-cluster end to end through a fresh store, as `clusters rebuild` (default: none).")
  List<Integer> storedSizes = List.of();
  @Option(names = "--dim", description = "Template dimension (default: ${DEFAULT-VALUE}).") int dim = 512;
  @Option(names = "--queries", description = "New faces placed per size (default: ${DEFAULT-VALUE}).") int queries = 500;
  @Option(names = "--seed", description = "Data seed (default: ${DEFAULT-VALUE}).") long seed = 42;
  @Option(names = "--cells", description = "Expert: k-means cells of the re-clustering's neighbour graph (default: sqrt(n) above 20,000 faces, else exact).")
  Integer cells;
  @Option(names = "--probes", description = "Expert: cells each face is compared in (default: 32).") Integer probes;
  @Option(names = "--recall-sample", description = "Faces whose neighbours are checked against an exact scan (default: ${DEFAULT-VALUE}).")
  int recallSample = 1000;
  @Option(names = "--spark", paramLabel = "MASTER", description = "Also re-cluster each full size with the neighbour graph built on Spark (local[2], spark://…), side by side.")
  String spark;
  @Option(names = "--spark-only", description = "With --spark: re-cluster the full sizes on Spark only (the one-machine run measured before).")
  boolean sparkOnly;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    var err = spec.commandLine().getErr();
    var out = spec.commandLine().getOut();
    ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    try {
      ClusterBenchmark bench = new ClusterBenchmark(dim, seed);
      for (int n : sizes) {
        Map<String, Object> r = bench.incremental(n, queries, pool, line -> err.println("bench clusters " + n + ": " + line));
        out.println(new Json().write(Map.of("incremental", r)));
        out.flush();
      }
      for (int n : fullSizes) {
        int c = cells != null ? cells : NeighbourGraph.Partition.forSize(n).cells();
        NeighbourGraph.Partition p = cells == null && probes == null ? null
            : new NeighbourGraph.Partition(c, Math.min(c, probes != null ? probes : NeighbourGraph.Partition.PROBES));
        if (!(sparkOnly && spark != null)) {
          Map<String, Object> r = bench.full(n, p, recallSample, pool, line -> err.println("bench clusters " + n + ": " + line));
          out.println(new Json().write(Map.of("full", r)));
          out.flush();
        }
        if (spark != null) {
          Map<String, Object> s = onSpark(pool, builder -> bench.full(n, p, recallSample, pool,
              line -> err.println("bench clusters spark " + n + ": " + line), builder));
          out.println(new Json().write(Map.of("full-spark", s)));
          out.flush();
        }
      }
      for (int n : storedSizes) {
        try (ScratchHome home = new ScratchHome("likeness-bench-clusters")) {
          Map<String, Object> r = bench.stored(n, 100, home.path(), pool, line -> err.println("bench clusters stored " + n + ": " + line));
          out.println(new Json().write(Map.of("stored", r)));
          out.flush();
        }
        if (spark != null) { // `clusters rebuild --spark` end to end, beside the local one
          try (ScratchHome home = new ScratchHome("likeness-bench-clusters")) {
            Map<String, Object> r = onSpark(pool, builder -> bench.stored(n, 100, home.path(), pool,
                line -> err.println("bench clusters stored spark " + n + ": " + line), builder));
            out.println(new Json().write(Map.of("stored-spark", r)));
            out.flush();
          }
        }
      }
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  /** What {@code run} answers with the neighbour graph built on a Spark session of {@link #spark} (stopped after), with the master added. */
  private Map<String, Object> onSpark(ForkJoinPool pool, java.util.function.Function<NeighbourGraph.Builder, Map<String, Object>> run) {
    org.apache.spark.sql.SparkSession session = org.likeness.spark.SparkSessions.open(spark);
    try {
      var builder = new org.likeness.spark.cluster.SparkNeighbourGraph(
          org.apache.spark.api.java.JavaSparkContext.fromSparkContext(session.sparkContext()), 32, pool);
      Map<String, Object> r = new java.util.LinkedHashMap<>(run.apply(builder));
      r.put("master", spark);
      return r;
    } finally {
      session.stop();
    }
  }
}
