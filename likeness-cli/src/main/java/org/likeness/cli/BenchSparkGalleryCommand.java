package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import org.likeness.spark.BroadcastBenchmark;
import org.likeness.spark.EngineSpec;
import org.likeness.spark.SparkSessions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code likeness bench spark-gallery}: a large gallery broadcast to a Spark job and searched there, time and memory. */
@Command(name = "spark-gallery", mixinStandardHelpOptions = true,
    description = "A synthetic gallery of the pack's dimension stored, read, broadcast and searched by spark scan's matcher: time and memory.")
final class BenchSparkGalleryCommand implements Callable<Integer> {
  private final Map<String, String> env;
  @Option(names = "--faces", split = ",", description = "Gallery sizes, one run each (default: ${DEFAULT-VALUE}).")
  List<Integer> faces = List.of(100_000, 1_000_000);
  @Option(names = "--per-identity", description = "Templates per subject (default: ${DEFAULT-VALUE}).") int perIdentity = 4;
  @Option(names = "--probes", description = "Probes searched, half mates, half strangers (default: ${DEFAULT-VALUE}).") int probes = 2000;
  @Option(names = "--mate-cosine", description = "Mean cosine of two templates of one subject (default: ${DEFAULT-VALUE}).")
  double mateCosine = 0.9;
  @Option(names = "--master", description = "Spark master (default: ${DEFAULT-VALUE}).") String master = "local[*]";
  @Option(names = "--pack", paramLabel = "ID|DIR", description = "Model pack (default: ${DEFAULT-VALUE}).") String pack = ModelCache.DEFAULT_PACK;
  @Option(names = "--work", paramLabel = "DIR", description = "Where the stores are written (default: a temporary folder).") Path work;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  BenchSparkGalleryCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    var o = spec.commandLine().getOut();
    o.println(BenchSparkSearchCommand.machine() + "; max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
    ModelPack p = ModelCache.fromEnvironment(env).open(pack);
    EngineSpec engine = EngineSpec.of(p.dir(), false, 40, null);
    SparkSession spark = SparkSessions.open(master);
    try (ScratchHome scratch = work != null ? null : new ScratchHome("likeness-bench-gallery")) {
      Path root = work != null ? Files.createDirectories(work) : scratch.path();
      o.println("master      faces  dim  method  store_s  read_s  snapshot_MB  with_index_MB  index_s  search_s  probes/s  mates_named_right  strangers_named");
      for (int n : faces) {
        BroadcastBenchmark.Result r = BroadcastBenchmark.run(spark, engine,
            new BroadcastBenchmark.Settings(n, perIdentity, probes, mateCosine, Files.createTempDirectory(root, "home-" + n), 11));
        o.printf(java.util.Locale.ROOT, "%-9s %8d %4d %7s %8.1f %7.1f %12d %14d %8.1f %9.1f %9.0f %11d / %-5d %9d / %d%n", r.master(), r.faces(),
            r.dimension(), r.method(), r.storeSeconds(), r.readSeconds(), r.snapshotBytes() >> 20, r.withIndexBytes() >> 20, r.indexSeconds(),
            r.searchSeconds(), r.probesPerSecond(), r.matesNamedRight(), r.mates(), r.strangersNamed(), r.strangers());
        o.flush();
      }
      return 0;
    } finally {
      spark.stop();
    }
  }
}
