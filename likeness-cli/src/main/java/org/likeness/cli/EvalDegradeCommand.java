package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.eval.degrade.DegradedPairs;
import org.likeness.eval.degrade.Degradation;
import org.likeness.eval.pairs.Pair;
import org.likeness.eval.pairs.PairReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code likeness eval degrade PAIRS --root DIR}: verification as footage degrades the probe: faces
 * at a few pixels' width, greyscale, motion blur, JPEG at a low quality; TAR at the pack's FMR 1e-3
 * and 1e-4 thresholds, the FMR measured there, and 10-fold accuracy, per condition.
 */
@Command(name = "degrade", mixinStandardHelpOptions = true,
    description = "Verification pairs with the probe photo degraded (small, grey, blurred, JPEG): TAR and FMR at the pack's thresholds.")
final class EvalDegradeCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin EngineArgs engineArgs;

  @Parameters(index = "0", paramLabel = "PAIRS", description = "LFW pairs.txt (View 2) or a CSV a,b,same.")
  Path pairsFile;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "Folder the pairs' photos are under.")
  Path root;

  @Option(names = "--conditions", split = ",", description = "Conditions (default: ${DEFAULT-VALUE}).")
  List<String> conditions = List.of("clean", "w64", "w48", "w32", "w24", "w16", "grey", "blur10", "jpeg20", "h264-300", "h264-100");

  @Option(names = "--both", split = ",", description = "Conditions applied to both photos of a pair, as a degraded copy of the set "
      + "(default: ${DEFAULT-VALUE}).")
  List<String> both = List.of("grey");

  @Option(names = "--flip", description = "Lever: each embedding the mean of the face's and its mirror image's (twice the work).")
  boolean flip;

  @Option(names = "--dump", paramLabel = "DIR", description = "Instead of the figures, write every photo's template per condition to DIR "
      + "(photos.txt, then CONDITION.f32: one little-endian float32 row per photo, and CONDITION.fallback).")
  Path dump;

  @Option(names = "--templates", paramLabel = "DIR", description = "Read the templates a --dump run wrote to DIR instead of embedding.")
  Path templates;

  @Option(names = "--lever-map", split = ",", paramLabel = "CONDITION", description = "Also measure, per condition on the probe photo, "
      + "decisions on the condition's own calibration, with and without a map of degraded templates learned (fold by fold) from "
      + "these conditions, e.g. w16,w24,w32,blur10,h264-300.")
  List<String> leverMap = List.of();

  @Option(names = "--map-lambda", description = "The learned map's shrinkage toward the identity (default: ${DEFAULT-VALUE}).")
  double mapLambda = 10;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  EvalDegradeCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    List<Pair> pairs;
    try {
      pairs = PairReader.read(pairsFile, root);
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new InputException(pairsFile + ": " + e.getMessage());
    }
    List<Degradation> parsed = parse(conditions);
    List<Degradation> mapFrom = parse(leverMap); // before the engine and the clean set: a bad name fails at once
    try (FaceEngine engine = flip ? engineArgs.open(env, o -> o.withFlipAverage(true)) : engineArgs.open(env)) {
      if (engine.verifier().calibration() == null) {
        throw new InputException("pack " + engine.pack().id() + " has no FMR calibration");
      }
      var err = spec.commandLine().getErr();
      DegradedPairs study = templates != null ? new DegradedPairs(DegradedPairs.written(templates, root), pairs)
          : new DegradedPairs(engine, pairs, Runtime.getRuntime().availableProcessors());
      if (dump != null) {
        study.write(dump, root, parsed);
        return 0;
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Degradation d : parsed) {
        List<Boolean> sides = both.contains(d.name()) ? List.of(false, true) : List.of(false);
        if (!mapFrom.isEmpty()) {
          study.templates(d); // every photo at once: the levers learn from all, and the figures then reuse them
        }
        for (boolean bothSides : sides) {
          DegradedPairs.Result r = study.run(d, bothSides, engine.verifier().calibration(), engine.verifier().threshold());
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("condition", r.condition());
          m.put("degraded", bothSides ? "both photos" : "probe photo");
          m.put("faceFound", Json.round4(r.detected()));
          m.put("tarAtFmr1e3", Json.round4(r.tar3()));
          m.put("tarAtFmr1e4", Json.round4(r.tar4()));
          m.put("fmrAt1e3Threshold", r.fmr3());
          m.put("fmrAt1e4Threshold", r.fmr4());
          m.put("impostorPairs", r.impostor());
          m.put("accuracy10Fold", Json.round4(r.kFoldAccuracy()));
          Map<String, Object> open = new LinkedHashMap<>();
          open.put("galleryPeople", r.openSet().gallery());
          open.put("matedProbes", r.openSet().mated());
          open.put("nonMatedProbes", r.openSet().nonMated());
          open.put("threshold", Json.round4(r.openSet().threshold()));
          open.put("fnirAtFpir1e2", Json.round4(r.openSet().fnir()));
          open.put("fpirMeasured", Json.round4(r.openSet().fpir()));
          m.put("openSet", open);
          if (!mapFrom.isEmpty() && !bothSides) {
            List<Map<String, Object>> levers = new ArrayList<>();
            for (DegradedPairs.Lever l : study.levers(d, mapFrom, mapLambda)) {
              Map<String, Object> lm = new LinkedHashMap<>();
              lm.put("rule", l.rule());
              lm.put("tarAtFmr1e3", Json.round4(l.tar3()));
              lm.put("tarAtFmr1e4", Json.round4(l.tar4()));
              lm.put("accuracy10Fold", Json.round4(l.kFoldAccuracy()));
              lm.put("threshold1N", Json.round4(l.openSet().threshold()));
              lm.put("fnirAtFpir1e2", Json.round4(l.openSet().fnir()));
              lm.put("fpirMeasured", Json.round4(l.openSet().fpir()));
              levers.add(lm);
            }
            m.put("levers", levers);
          }
          rows.add(m);
          err.println("likeness: " + d.name() + (bothSides ? " (both)" : "") + " done");
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("pack", engine.pack().id());
      out.put("flipAverage", flip);
      out.put("templates", templates == null ? "embedded" : templates.toString());
      out.put("pairs", pairs.size());
      out.put("conditions", rows);
      spec.commandLine().getOut().println(new Json().write(out));
      return 0;
    }
  }

  private List<Degradation> parse(List<String> names) {
    List<Degradation> out = new ArrayList<>();
    for (String c : names) {
      try {
        out.add(Degradation.parse(c));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    return out;
  }
}
