package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.eval.degrade.Degradation;
import org.likeness.eval.degrade.DegradedPairs;
import org.likeness.eval.degrade.SmallFaceFit;
import org.likeness.eval.degrade.TemplateSources;
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
      + "these conditions, e.g. w16,w24,w32,blur10,h264-300, and the small-face rule made that way (map, and the strictest "
      + "calibration of the --small-widths, fold by fold).")
  List<String> leverMap = List.of();

  @Option(names = "--map-lambda", description = "The learned map's shrinkage toward the identity (default: ${DEFAULT-VALUE}).")
  double mapLambda = 10;

  @Option(names = "--fit-small-faces", paramLabel = "DIR", description = "Instead of the figures, fit the pack's small-face rule: "
      + "write DIR/small-faces.lkmap (the map, learned on every photo under the --lever-map conditions, by default "
      + "w16,w24,w32,blur10,h264-300) and DIR/small-faces.json (the pack's smallFaces section: its calibration measured fold by fold "
      + "on the --small-widths conditions, mapped).")
  Path fitSmallFaces;

  @Option(names = "--small-widths", split = ",", paramLabel = "CONDITION", description = "Widths the small-face calibration is measured "
      + "on (default: ${DEFAULT-VALUE}).")
  List<String> smallWidths = List.of("w16", "w24", "w32");

  @Option(names = "--track-widths", split = ",", paramLabel = "CONDITION", description = "With --fit-small-faces: also measure a "
      + "calibration of tracks on these track conditions (wNxK: K renders of each photo at N px, their templates' mean), e.g. "
      + "w16x8,w24x8; the section's tracks calibration is the strictest of them and the photos'.")
  List<String> trackWidths = List.of();

  @Option(names = "--below", paramLabel = "PX", description = "Faces narrower than this are small faces, in the fitted section "
      + "(default: ${DEFAULT-VALUE}).")
  double below = 36;

  @Option(names = "--exclude-people", paramLabel = "FILE", description = "With --fit-small-faces: leave out the photos of the people "
      + "FILE names (one a line, as 'eval scenes --people-out' writes them), so that a study of them is held out.")
  Path excludePeople;

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
      DegradedPairs study = templates != null ? new DegradedPairs(TemplateSources.written(templates, root), pairs)
          : new DegradedPairs(engine, pairs, Runtime.getRuntime().availableProcessors());
      if (dump != null) {
        TemplateSources.write(study, dump, root, parsed);
        return 0;
      }
      if (fitSmallFaces != null) {
        List<Degradation> from = mapFrom.isEmpty() ? parse(List.of("w16", "w24", "w32", "blur10", "h264-300")) : mapFrom;
        java.util.Set<String> excluded = excludePeople == null ? java.util.Set.of()
            : java.util.Set.copyOf(java.nio.file.Files.readAllLines(excludePeople).stream().map(String::strip).filter(l -> !l.isEmpty()).toList());
        SmallFaceFit fit = SmallFaceFit.fit(study, from, parse(smallWidths), parse(trackWidths), mapLambda, excluded);
        java.nio.file.Files.createDirectories(fitSmallFaces);
        Path map = fitSmallFaces.resolve("small-faces.lkmap");
        fit.map().write(map);
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("below", below);
        section.put("map", Map.of("file", map.getFileName().toString(), "sha256", org.likeness.engine.model.ModelPackReader.sha256(map)));
        section.put("calibration", calibrationSection(fit.calibration(), pairsFile, root));
        if (fit.tracks() != null) {
          section.put("tracks", Map.of("calibration", calibrationSection(fit.tracks(), pairsFile, root)));
        }
        Map<String, Object> widths = new LinkedHashMap<>();
        fit.byWidth().forEach((w, t) -> widths.put(w, new Thresholds(Json.round4(t.thresholdFor(1e-3)), Json.round4(t.thresholdFor(1e-4)),
            Json.round4(t.thresholdFor(1e-5)), Json.round4(t.thresholdFor(1e-6)))));
        String json = new Json().write(section);
        java.nio.file.Files.writeString(fitSmallFaces.resolve("small-faces.json"), json + "\n");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("smallFaces", section);
        out.put("thresholdsByWidth", widths);
        spec.commandLine().getOut().println(new Json().write(out));
        return 0;
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      SmallFaceFit rule = null;
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
            if (rule == null) { // the shipped rule's shape, fold by fold, and its fold maps: once, for every condition
              rule = SmallFaceFit.fit(study, mapFrom, parse(smallWidths), mapLambda, java.util.Set.of());
            }
            List<DegradedPairs.Lever> measured = new ArrayList<>(study.levers(d, rule.foldMaps(), DegradedPairs.mapRule(mapFrom, mapLambda)));
            measured.add(study.smallFaceRule(d, rule));
            for (DegradedPairs.Lever l : measured) {
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

  /** A calibration's thresholds at FMR 1e-3 to 1e-6. */
  record Thresholds(double fmr1e3, double fmr1e4, double fmr1e5, double fmr1e6) {}

  /** A pack's {@code calibration} section for {@code table}, its source naming the pairs it was measured on. */
  private static Map<String, Object> calibrationSection(org.likeness.engine.verify.FmrTable table, Path pairsFile, Path root) {
    Map<String, Object> cal = new LinkedHashMap<>();
    cal.put("source", table.source() + "; " + pairsFile.getFileName() + " under " + root.getFileName());
    cal.put("impostorPairs", table.impostorPairs());
    cal.put("points", table.points().stream().map(p -> List.of(Double.parseDouble(String.format(java.util.Locale.ROOT,
        "%.4g", p.rate())), Json.round4(p.threshold()))).toList());
    return cal;
  }
}
