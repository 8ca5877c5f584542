package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.likeness.eval.speed.SearchBenchmark;
import org.likeness.gallery.search.SearchMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code likeness bench search}: gallery search speed and recall at several sizes (see docs/BENCHMARKS.md). */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Search latency, throughput and recall (exact, int8, HNSW) on synthetic face-like templates.")
final class BenchSearchCommand implements Callable<Integer> {
  @Option(names = "--sizes", split = ",", description = "Gallery sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes = List.of(10_000, 100_000);

  @Option(names = "--dim", description = "Template dimension (default: ${DEFAULT-VALUE}).")
  int dim = 512;

  @Option(names = "--queries", description = "Probes per size (default: ${DEFAULT-VALUE}).")
  int queries = 200;

  @Option(names = "--methods", split = ",", description = "Methods (default: ${DEFAULT-VALUE}).")
  List<SearchMethod> methods = List.of(SearchMethod.EXACT, SearchMethod.INT8, SearchMethod.HNSW);

  @Option(names = "--export", paramLabel = "DIR", description = "Also write each size's vectors for the FAISS peer (base-N.f32, queries-N.f32).")
  Path export;

  @Option(names = "--seed", description = "Data seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    var out = spec.commandLine().getOut();
    ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    try {
      SearchBenchmark bench = new SearchBenchmark(dim, seed);
      List<Map<String, Object>> all = new ArrayList<>();
      for (int n : sizes) {
        SearchBenchmark.Data data = bench.generate(n, queries);
        if (export != null) {
          Files.createDirectories(export);
          SearchBenchmark.writeF32(data.templates(), export.resolve("base-" + n + ".f32"));
          SearchBenchmark.writeF32(data.probes(), export.resolve("queries-" + n + ".f32"));
        }
        Map<String, Object> r = bench.run(data, methods, pool, line -> {
          err.println("bench search " + n + ": " + line);
          err.flush();
        });
        out.println(new Json().write(r));
        out.flush();
        all.add(r);
      }
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }
}
