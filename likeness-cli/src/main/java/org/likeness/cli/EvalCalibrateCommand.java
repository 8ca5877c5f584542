package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.verify.FmrTable;
import org.likeness.eval.calibrate.EmbeddedSet;
import org.likeness.eval.calibrate.ImpostorCalibration;
import org.likeness.eval.calibrate.SamePersonList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code likeness eval calibrate --root DIR}: measures the pack's false-match rates on every
 * impostor pair of a photo set with one sub-folder per identity (LFW: about 87 million pairs) and
 * prints the table a pack stores as {@code recognizer.calibration}.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = "Measure the FMR table (threshold per false-match rate, 1 to 1e-6) on every impostor pair of DIR/IDENTITY/PHOTO.")
final class EvalCalibrateCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "One sub-folder per identity (e.g. lfw/images_deepfunneled).")
  Path root;

  @Option(names = "--embeddings", paramLabel = "FILE", description = "Cache of the set's embeddings: read when it exists, else written.")
  Path cache;

  @Option(names = "--same-person", paramLabel = "FILE",
      description = "Pairs the set files under two names that show one person (e.g. eval/lfw-same-person.txt): left out of the impostor pairs.")
  Path samePersonFile;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EvalCalibrateCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    SamePersonList samePersonList = SamePersonOption.read(samePersonFile);
    try (FaceEngine engine = engineArgs.open(env)) {
      long t0 = System.nanoTime();
      EmbeddedSet set = EmbeddedSets.load(engine, root, cache, err);
      double embedSeconds = (System.nanoTime() - t0) / 1e9;
      SamePersonList.Pairs samePerson;
      try {
        samePerson = samePersonList.pairsIn(set);
      } catch (IllegalArgumentException e) {
        throw new InputException(samePersonFile + ": " + e.getMessage());
      }
      long t1 = System.nanoTime();
      ImpostorCalibration cal = ImpostorCalibration.of(set, samePerson);
      double pairSeconds = (System.nanoTime() - t1) / 1e9;
      String source = "likeness eval calibrate on " + root.getFileName() + ": " + set.paths().size() + " photos of "
          + set.identities().size() + " identities, every cross-identity pair"
          + (samePersonFile == null ? "" : " less the " + cal.samePersonPairs() + " that " + samePersonFile.getFileName()
              + " lists as one person")
          + " (" + cal.impostorPairs() + ")";
      FmrTable table = cal.table(source);
      double at = engine.verifier().threshold(); // the pack's, or --threshold
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("pack", engine.pack().id());
      r.put("root", root.toString());
      r.put("photos", set.paths().size());
      r.put("identities", set.identities().size());
      r.put("fallbackPhotos", set.fallbacks());
      r.put("impostorPairs", cal.impostorPairs());
      r.put("genuinePairs", cal.genuinePairs());
      r.put("samePersonPairs", cal.samePersonPairs());
      r.put("maxImpostor", Json.round4(cal.maxImpostor()));
      r.put("threshold", at);
      r.put("fmrAtThreshold", cal.fmrAt(at));
      r.put("tarAtThreshold", Json.round4(cal.tarAt(at)));
      List<Map<String, Object>> rows = new ArrayList<>();
      for (FmrTable.Point p : table.points()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("fmr", Double.valueOf(String.format(Locale.ROOT, "%.3g", p.rate())));
        row.put("threshold", Json.round4(p.threshold()));
        row.put("tar", Json.round4(cal.tarAt(p.threshold())));
        rows.add(row);
      }
      r.put("table", rows);
      List<double[]> points = table.points().stream()
          .map(p -> new double[] {Double.parseDouble(String.format(Locale.ROOT, "%.4g", p.rate())), Json.round4(p.threshold())}).toList();
      Map<String, Object> calibration = new LinkedHashMap<>();
      calibration.put("source", source);
      calibration.put("impostorPairs", cal.impostorPairs());
      calibration.put("points", points);
      r.put("calibration", calibration);
      r.put("embedSeconds", Json.round(embedSeconds));
      r.put("pairSeconds", Json.round(pairSeconds));
      spec.commandLine().getOut().println(new Json().write(r));
      return 0;
    }
  }
}
