package org.likeness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.eval.speed.SpeedBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code likeness bench}: the speed protocol (see docs/BENCHMARKS.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Speed: detector ms at 640x480 and 4000x3000, embeddings/s at batch 1/8/32, end-to-end images/s, peak RSS.")
final class BenchCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Option(names = "--dataset", paramLabel = "DIR", description = "Folder of photos (the fixture dataset); required unless a sub-command is given.")
  Path dataset;

  @Option(names = "--workers", description = "Images analysed concurrently in the end-to-end run (default: ${DEFAULT-VALUE}).")
  int workers = 1;

  @Option(names = "--seconds", description = "Minimum seconds per measurement (default: ${DEFAULT-VALUE}).")
  double seconds = 5;

  @Option(names = "--json", description = "Print the figures as one JSON object.")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  BenchCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    if (dataset == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--dataset=DIR'");
    }
    try (FaceEngine engine = engineArgs.open(env)) {
      List<Path> images = SpeedBenchmark.distinctImages(dataset);
      Path base = dataset.resolve("examples/two_people.jpg");
      Map<String, Object> r = new SpeedBenchmark(engine, seconds).run(base, images, workers, line -> {
        err.println("bench: " + line);
        err.flush();
      });
      r.put("threads", engineArgs.threads != null ? engineArgs.threads : Runtime.getRuntime().availableProcessors());
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(new Json().write(r));
      } else {
        r.forEach((k, v) -> out.printf(Locale.ROOT, "%-28s %s%n", k, v));
      }
      return 0;
    }
  }
}
