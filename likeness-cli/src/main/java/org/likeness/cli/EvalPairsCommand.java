package org.likeness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.eval.metrics.VerificationMetrics;
import org.likeness.eval.pairs.Pair;
import org.likeness.eval.pairs.PairReader;
import org.likeness.eval.pairs.FaceChoice;
import org.likeness.eval.pairs.PairScorer;
import org.likeness.eval.plot.RocPlot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness eval pairs FILE}: verification accuracy, TAR@FAR, EER, AUC and a ROC plot. */
@Command(name = "pairs", mixinStandardHelpOptions = true,
    description = "Verification protocol over LFW pairs.txt or a CSV (a,b,same): accuracy, TAR@FAR, EER, AUC, ROC.")
final class EvalPairsCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Parameters(index = "0", paramLabel = "FILE", description = "pairs.txt (LFW layout) or CSV with header a,b,same.")
  Path file;

  @Option(names = "--root", paramLabel = "DIR", description = "Folder image paths are relative to (default: the pair file's folder).")
  Path root;

  @Option(names = "--roc", paramLabel = "OUT.png", description = "Write the ROC curve as PNG.")
  Path roc;

  @Option(names = "--scores", paramLabel = "OUT.csv", description = "Write every pair's similarity as CSV.")
  Path scoresOut;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  @Option(names = "--face", description = "Which face of a photo to score: central or largest (default: central for LFW pairs.txt, largest for CSV).")
  FaceChoice face;

  @Option(names = "--fallback", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "When no face is found, align the central square and score it anyway, flagged (default: on for LFW pairs.txt).")
  boolean fallback;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EvalPairsCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    Path base = root != null ? root : file.toAbsolutePath().getParent();
    PairReader.Layout layout;
    List<Pair> pairs;
    try {
      layout = PairReader.detect(file);
      pairs = PairReader.read(file, base);
    } catch (IOException | RuntimeException e) {
      throw new InputException("cannot read pairs: " + e.getMessage());
    }
    if (pairs.stream().anyMatch(p -> p.same() == null)) {
      throw new InputException(file + ": evaluation needs a 'same' column (1 for the same person, 0 otherwise)");
    }
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    boolean lfw = layout == PairReader.Layout.LFW;
    FaceChoice choice = face != null ? face : lfw ? FaceChoice.CENTRAL : FaceChoice.LARGEST;
    boolean useFallback = fallback && lfw; // only face-centred photos have a centre worth aligning
    try (FaceEngine engine = engineArgs.open(env);
        PairScorer scorer = new PairScorer(engine, Runtime.getRuntime().availableProcessors(), choice, useFallback)) {
      ProgressBar bar = new ProgressBar(err, "eval", pairs.size(), System.console() != null);
      List<PairScorer.Scored> scored = scorer.scoreAll(pairs, bar::update);
      List<PairScorer.Scored> ok = new ArrayList<>();
      List<String> fallbackPairs = new ArrayList<>();
      for (PairScorer.Scored s : scored) {
        if (s.error() == null) {
          ok.add(s);
          if (s.fallback()) {
            fallbackPairs.add(s.pair().a().getFileName() + " / " + s.pair().b().getFileName());
          }
        } else {
          err.println("likeness: skipped pair: " + s.error());
        }
      }
      double[] sc = ok.stream().mapToDouble(s -> s.verification().similarity()).toArray();
      boolean[] same = new boolean[ok.size()];
      int[] fold = new int[ok.size()];
      for (int i = 0; i < ok.size(); i++) {
        same[i] = ok.get(i).pair().same();
        fold[i] = ok.get(i).pair().fold();
      }
      if (scoresOut != null) {
        writeScores(ok, scoresOut);
      }
      VerificationMetrics m;
      try {
        m = new VerificationMetrics(sc, same);
      } catch (IllegalArgumentException e) {
        throw new InputException("cannot evaluate: " + e.getMessage());
      }
      int folds = layout == PairReader.Layout.LFW ? pairs.stream().mapToInt(Pair::fold).max().orElse(0) + 1 : 0;
      double threshold = engine.verifier().threshold();
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("file", file.toString());
      r.put("layout", layout.name().toLowerCase(Locale.ROOT));
      r.put("pack", engine.pack().id());
      r.put("pairs", pairs.size());
      r.put("scored", ok.size());
      r.put("failed", pairs.size() - ok.size());
      r.put("face", choice.name().toLowerCase(Locale.ROOT));
      r.put("fallbackPairs", fallbackPairs.size());
      if (!fallbackPairs.isEmpty()) {
        r.put("fallbackPairList", fallbackPairs);
      }
      r.put("genuine", m.positives());
      r.put("impostor", m.negatives());
      r.put("threshold", threshold);
      r.put("accuracyAtThreshold", Json.round4(m.accuracy(threshold)));
      r.put("fmrAtThreshold", Json.round4(m.falseMatchRate(threshold)));
      r.put("fnmrAtThreshold", Json.round4(m.falseNonMatchRate(threshold)));
      if (folds > 1) {
        double[] k = m.kFoldAccuracy(fold, folds);
        r.put("accuracy" + folds + "Fold", Json.round4(k[0]));
        r.put("accuracy" + folds + "FoldStd", Json.round4(k[1]));
      }
      double[] best = m.bestThreshold();
      r.put("bestThreshold", Json.round4(best[0]));
      r.put("accuracyAtBestThreshold", Json.round4(best[1]));
      r.put("tarAtFar1e-2", Json.round4(m.tarAtFar(1e-2)));
      r.put("tarAtFar1e-3", Json.round4(m.tarAtFar(1e-3)));
      r.put("farResolution", Json.round4(1.0 / m.negatives()));
      r.put("eer", Json.round4(m.eer()));
      r.put("auc", Json.round4(m.auc()));
      r.put("minGenuine", Json.round4(m.minGenuine()));
      r.put("maxImpostor", Json.round4(m.maxImpostor()));
      double[] imp = m.impostorMeanStd();
      r.put("impostorMean", Json.round4(imp[0]));
      r.put("impostorStd", Json.round4(imp[1]));
      if (roc != null) {
        RocPlot.write(m.roc(), "ROC " + file.getFileName() + " (" + engine.pack().id() + ", " + m.positives() + " genuine / "
            + m.negatives() + " impostor)", Math.min(1e-3, 1.0 / m.negatives()), roc);
        r.put("roc", roc.toString());
      }
      if (json) {
        out.println(new Json().write(r));
      } else {
        r.forEach((k, v) -> out.printf(Locale.ROOT, "%-24s %s%n", k, v));
      }
      return 0;
    }
  }

  private static void writeScores(List<PairScorer.Scored> ok, Path path) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(path))) {
      w.println("a,b,same,similarity");
      for (PairScorer.Scored s : ok) {
        w.printf(Locale.ROOT, "%s,%s,%d,%.6f%n", s.pair().a(), s.pair().b(), s.pair().same() ? 1 : 0, s.verification().similarity());
      }
    }
  }
}
