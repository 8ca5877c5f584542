package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.eval.calibrate.EmbeddedSet;
import org.likeness.eval.tracks.TrackAggregationStudy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code likeness eval tracks --embeddings FILE}: which rule identifies a track best, on pseudo-tracks of a labelled set. */
@Command(name = "tracks", mixinStandardHelpOptions = true,
    description = "Compare track identification rules (mean template, max score, majority vote, mean score) on pseudo-tracks.")
final class EvalTracksCommand implements Callable<Integer> {
  @Option(names = "--embeddings", required = true, paramLabel = "FILE", description = "An embedded set written by 'eval calibrate --embeddings'.")
  Path embeddings;

  @Option(names = "--length", description = "Faces per pseudo-track (default: ${DEFAULT-VALUE}).")
  int length = 5;

  @Option(names = "--threshold", required = true, description = "Decision threshold (the pack's, e.g. 0.3464).")
  double threshold;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(embeddings)) {
      throw new InputException(embeddings + ": no such file (write it with eval calibrate --embeddings)");
    }
    EmbeddedSet set = EmbeddedSet.read(embeddings);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("pack", set.pack());
    r.put("threshold", threshold);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TrackAggregationStudy.Outcome o : new TrackAggregationStudy(set, length).run(threshold, r)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rule", o.rule().name().toLowerCase(Locale.ROOT));
      m.put("tpir", Json.round4(o.tpir()));
      m.put("fpir", Json.round4(o.fpir()));
      rows.add(m);
    }
    r.put("rules", rows);
    spec.commandLine().getOut().println(new Json().write(r));
    return 0;
  }
}
