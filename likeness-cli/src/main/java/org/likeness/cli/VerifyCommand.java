package org.likeness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.eval.pairs.Pair;
import org.likeness.eval.pairs.PairReader;
import org.likeness.eval.pairs.PairScorer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness verify IMAGE_A IMAGE_B [--json]} and {@code likeness verify --pairs FILE.csv [--json]}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Compare the most prominent face of two images (1:1), or every pair in a CSV (header a,b).")
final class VerifyCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Parameters(arity = "0..2", paramLabel = "IMAGE")
  List<Path> images = List.of();

  @Option(names = "--pairs", paramLabel = "FILE.csv", description = "CSV with header a,b; relative paths resolve against the CSV's folder.")
  Path pairs;

  @Option(names = "--json", description = "Print JSON on stdout (one object per line with --pairs).")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  VerifyCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    if ((pairs == null) == (images.size() != 2)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give either two images or --pairs FILE.csv");
    }
    List<Pair> list;
    if (pairs != null) {
      try {
        Path root = pairs.toAbsolutePath().getParent();
        list = PairReader.readCsv(pairs, root);
      } catch (IOException e) {
        throw new InputException("cannot read pairs: " + e.getMessage());
      }
    } else {
      list = List.of(new Pair(images.get(0), images.get(1), null, 0));
    }
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (FaceEngine engine = engineArgs.open(env);
        PairScorer scorer = new PairScorer(engine, Runtime.getRuntime().availableProcessors())) {
      ProgressBar bar = pairs != null && list.size() > 1 ? new ProgressBar(err, "verify", list.size(), System.console() != null) : null;
      int[] done = {0, 0};
      InputException[] single = {null};
      scorer.forEach(list, s -> {
        Pair p = s.pair();
        String a = pairs != null ? p.a().toString() : images.get(0).toString();
        String b = pairs != null ? p.b().toString() : images.get(1).toString();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        if (s.error() != null) {
          done[1]++;
          if (pairs == null) {
            single[0] = new InputException(s.error());
            return;
          }
          m.put("error", s.error());
          out.println(json ? new Json().write(m) : a + " " + b + " error: " + s.error());
        } else {
          var v = s.verification();
          m.putAll(org.likeness.gallery.service.Answers.fields(org.likeness.gallery.service.Shapes.verification(v))); // a, b, then the verdict's fields
          out.println(json ? new Json().write(m)
              : String.format(Locale.ROOT, "%s %s similarity %.4f %s (threshold %.2f, FMR %s)", a, b, v.similarity(),
                  v.match() ? "MATCH" : "no match", v.threshold(), v.fmr() == null ? "n/a" : v.fmr()));
        }
        out.flush();
        if (bar != null) {
          bar.update(++done[0]);
        }
      });
      if (single[0] != null) {
        throw single[0];
      }
      if (pairs != null && done[1] > 0) {
        err.println("likeness: " + done[1] + " of " + list.size() + " pairs could not be scored");
      }
      return 0;
    }
  }
}
