package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.RecognizerSpec;
import org.likeness.eval.calibrate.EmbeddedSet;
import org.likeness.eval.calibrate.SamePersonList;
import org.likeness.eval.tracks.TrackAggregationStudy;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code likeness eval tracks --embeddings FILE}: which rule identifies a track best, on pseudo-tracks of a labelled set. */
@Command(name = "tracks", mixinStandardHelpOptions = true,
    description = "Compare track identification rules (mean template, max score, majority vote, mean score) on pseudo-tracks.")
final class EvalTracksCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Option(names = "--embeddings", required = true, paramLabel = "FILE", description = "An embedded set written by 'eval calibrate --embeddings'.")
  Path embeddings;

  @Option(names = "--length", description = "Faces per pseudo-track (default: ${DEFAULT-VALUE}).")
  int length = 5;

  @ArgGroup(exclusive = true)
  Decision decision;

  /** The decision threshold: a similarity, or a false-match rate read from the set's pack; default the pack's threshold. */
  static final class Decision {
    @Option(names = "--threshold", description = "Decision threshold as a similarity (default: the pack's).")
    Double threshold;

    @Option(names = "--fmr", paramLabel = "RATE", description = "Decision threshold as a measured false-match rate per comparison of the set's pack, e.g. 1e-5.")
    Double fmr;
  }

  @Option(names = "--same-person", paramLabel = "FILE",
      description = "Photos filed under two identities that show one person (e.g. eval/lfw-same-person.txt): such a subject is no candidate for the track.")
  Path samePersonFile;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EvalTracksCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    EmbeddedSets.Labelled labelled = EmbeddedSets.read(embeddings, samePersonFile);
    EmbeddedSet set = labelled.set();
    SamePersonList.Pairs samePerson = labelled.samePerson();
    RecognizerSpec rec = ModelCache.fromEnvironment(env).open(set.pack()).recognizer(); // its layout makes mean templates
    if (!set.paths().isEmpty() && set.embeddings()[0].length != rec.embeddingSize()) {
      throw new InputException(embeddings + ": embeddings of " + set.embeddings()[0].length + " values, but pack "
          + set.pack() + " makes " + rec.embeddingSize());
    }
    double threshold = threshold(set.pack(), rec);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("pack", set.pack());
    r.put("threshold", Json.round4(threshold));
    if (decision != null && decision.fmr != null) {
      r.put("fmr", decision.fmr);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TrackAggregationStudy.Outcome o : new TrackAggregationStudy(set, rec.layout(), length, samePerson).run(threshold, r)) {
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

  /** The similarity given, or the one the set's pack reads for the rate given or uses by default. */
  private double threshold(String pack, RecognizerSpec rec) throws InputException {
    if (decision != null && decision.threshold != null) {
      return decision.threshold;
    }
    if (decision == null) {
      return rec.threshold();
    }
    if (rec.calibration() == null) {
      throw new InputException("pack " + pack + " has no FMR calibration; give --threshold");
    }
    try {
      return rec.calibration().thresholdFor(decision.fmr);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
  }
}
