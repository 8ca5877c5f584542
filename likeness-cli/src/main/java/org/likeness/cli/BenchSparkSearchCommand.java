package org.likeness.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.likeness.spark.SparkSessions;
import org.likeness.spark.search.SearchBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code likeness bench spark-search}: distributed 1:N through k-means cells on Spark, recall@1 against exact search. */
@Command(name = "spark-search", mixinStandardHelpOptions = true,
    description = "Distributed 1:N on Spark: a synthetic gallery cut into k-means cells, probes routed to their nearest cells; speed and recall@1.")
final class BenchSparkSearchCommand implements Callable<Integer> {
  @Option(names = "--faces", description = "Gallery templates (default: ${DEFAULT-VALUE}).") long faces = 1_000_000;
  @Option(names = "--identities", description = "Subjects, several templates each (default: faces / 4).") Long identities;
  @Option(names = "--probes", description = "Probes, half mates, half strangers (default: ${DEFAULT-VALUE}).") long probes = 100_000;
  @Option(names = "--dim", description = "Template dimension (default: ${DEFAULT-VALUE}).") int dim = 128;
  @Option(names = "--structure", description = "Share of identity directions in a 16-d subspace; 0: uniform (default: ${DEFAULT-VALUE}).")
  double structure = 0.35;
  @Option(names = "--cells", description = "k-means cells (default: ${DEFAULT-VALUE}).") int cells = 1024;
  @Option(names = "--visit", split = ",", description = "Cells each probe visits, one run each (default: half the cells).")
  List<Integer> visit;
  @Option(names = "--exact-sample", description = "Probes whose exact answer is computed for recall (default: ${DEFAULT-VALUE}).")
  int exactSample = 1000;
  @Option(names = "--partitions", description = "Spark partitions (default: ${DEFAULT-VALUE}).") int partitions = 16;
  @Option(names = "--master", description = "Spark master (default: ${DEFAULT-VALUE}).") String master = "local[*]";
  @Option(names = "--out", paramLabel = "DIR", description = "Write the cell gallery to Parquet here and search what is read back.")
  String out;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var o = spec.commandLine().getOut();
    o.println(machine());
    SparkSession spark = SparkSessions.open(master);
    try {
      o.println("master        faces   probes  cells visit  build_s  search_s  probes/s  recall@1_mates  recall@1_strangers  recall@1_all  sample");
      for (int v : visit != null ? visit : List.of(Math.max(1, cells / 2))) {
        SearchBenchmark.Result r = SearchBenchmark.run(spark, new SearchBenchmark.Settings(faces, identities != null ? identities : faces / 4,
            probes, dim, 0.6, structure, cells, v, exactSample, partitions, out == null ? null : out + "/visit-" + v, 7));
        o.printf(java.util.Locale.ROOT, "%-10s %8d %8d %6d %5d %8.1f %9.1f %9.0f %15.4f %19.4f %13.4f %7d%n", r.master(), r.faces(), r.probes(),
            r.cells(), r.probesPerQuery(), r.buildSeconds(), r.searchSeconds(), r.probesPerSecond(), r.recallMates(), r.recallStrangers(),
            r.recall(), r.sample());
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** The CPU model, its cores and the JVM, printed with every result (machines differ). */
  static String machine() {
    String cpu = "unknown CPU";
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (java.io.IOException e) {
      // not Linux: the model stays unknown
    }
    return "machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpu + "; Java " + Runtime.version();
  }
}
