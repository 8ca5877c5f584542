package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.RecognizerSpec;
import org.likeness.engine.verify.FmrTable;
import org.likeness.eval.calibrate.EmbeddedSet;
import org.likeness.eval.calibrate.SamePersonList;
import org.likeness.eval.openset.OpenSetStudy;
import org.likeness.gallery.match.FpirRule;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code likeness eval openset --embeddings FILE}: open-set decisions at watchlist scale on an
 * embedded labelled set: measured FPIR and FNIR of the FPIR rule (by templates and by subjects)
 * beside a fixed per-comparison FMR, at several gallery sizes, optionally with synthetic distractors.
 */
@Command(name = "openset", mixinStandardHelpOptions = true,
    description = "Measure open-set decision rules (FPIR target vs fixed FMR) at several gallery sizes on an embedded set.")
final class EvalOpenSetCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Option(names = "--embeddings", required = true, paramLabel = "FILE", description = "An embedded set written by 'eval calibrate --embeddings'.")
  Path embeddings;

  @Option(names = "--same-person", paramLabel = "FILE", description = "Photos filed under two identities that show one person.")
  Path samePersonFile;

  @Option(names = "--sizes", split = ",", description = "Gallery sizes in subjects (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes = List.of(100, 1000, 5749);

  @Option(names = "--templates", description = "Templates enrolled per subject at most (default: ${DEFAULT-VALUE}).")
  int templates = 5;

  @Option(names = "--distractors", split = ",", description = "Synthetic distractor templates added to the largest gallery (default: none).")
  List<Integer> distractors = new ArrayList<>();

  @Option(names = "--distractor-kind", description = "morph (two real photos of two people, normalised sum) or gaussian "
      + "(default: ${DEFAULT-VALUE}).")
  String distractorKind = "morph";

  @Option(names = "--min-photos", description = "Only identities with at least this many photos are enrolled (default: ${DEFAULT-VALUE}).")
  int minPhotos = 1;

  @Option(names = "--swap", description = "Share of enrolled photos replaced by a photo of someone else, as in a scraped watchlist; "
      + "each gallery is then measured without and with enrolment hygiene (default: ${DEFAULT-VALUE}).")
  double swap = 0;

  @Option(names = "--fpir", description = "Target FPIR of the rule (default: ${DEFAULT-VALUE}).")
  double fpir = FpirRule.DEFAULT;

  @Option(names = "--fmr", description = "The fixed per-comparison FMR shown beside it (default: ${DEFAULT-VALUE}, the old default).")
  double fmr = 1e-3;

  @Option(names = "--seed", description = "Seed of the gallery draws (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EvalOpenSetCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    EmbeddedSets.Labelled labelled = EmbeddedSets.read(embeddings, samePersonFile);
    EmbeddedSet set = labelled.set();
    SamePersonList.Pairs samePerson = labelled.samePerson();
    RecognizerSpec rec = ModelCache.fromEnvironment(env).open(set.pack()).recognizer();
    FmrTable cal = rec.calibration();
    if (cal == null) {
      throw new InputException("pack " + set.pack() + " has no FMR calibration");
    }
    OpenSetStudy study = new OpenSetStudy(set, samePerson);
    FpirRule rule = new FpirRule(fpir);
    List<Map<String, Object>> rows = new ArrayList<>();
    List<int[]> runs = new ArrayList<>();
    sizes.forEach(s -> runs.add(new int[] {s, 0}));
    int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
    distractors.forEach(d -> runs.add(new int[] {largest, d}));
    double agree = cal.thresholdFor(org.likeness.gallery.service.GalleryService.HYGIENE_FMR);
    List<int[]> all = new ArrayList<>();
    for (int[] run : runs) {
      all.add(new int[] {run[0], run[1], 0});
      if (swap > 0) {
        all.add(new int[] {run[0], run[1], 1});
      }
    }
    for (int[] run : all) {
      OpenSetStudy.Searched s = study.search(new OpenSetStudy.Plan(run[0], templates, minPhotos, swap, run[2] == 1 ? agree : Double.NaN,
          run[1], morph()), seed);
      Map<String, Object> m = new LinkedHashMap<>();
      if (swap > 0) {
        m.put("hygiene", run[2] == 1);
        m.put("swappedIn", s.swappedIn());
      }
      m.put("subjects", s.subjects());
      m.put("templates", s.templates());
      m.put("distractors", s.distractors());
      m.put("matedProbes", s.matedTop().length);
      m.put("nonMatedProbes", s.nonMatedTop().length);
      long size = (long) s.templates() + s.distractors();
      m.put("fixedFmr", outcome(s, cal.thresholdFor(fmr), fpir));
      m.put("fpirByTemplates", outcome(s, rule.threshold(cal, size), fpir));
      m.put("fpirBySubjects", outcome(s, rule.threshold(cal, (long) s.subjects() + s.distractors()), fpir));
      List<Map<String, Object>> amb = new ArrayList<>();
      for (double decades : new double[] {0, 0.25, 0.5, 1, 2}) { // the FPIR rule, with runner-ups this close answered "ambiguous"
        double[] r = s.withAmbiguity(rule.threshold(cal, size), decades, cal::tailRateAt);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("decades", decades);
        a.put("namedRight", Json.round4(r[0]));
        a.put("misnamed", Json.round4(r[1]));
        a.put("ambiguous", Json.round4(r[2]));
        a.put("fpir", Math.round(r[3] * 1e5) / 1e5);
        amb.add(a);
      }
      m.put("ambiguity", amb);
      rows.add(m);
      spec.commandLine().getErr().println("likeness: gallery of " + s.subjects() + " subjects (" + size + " templates) done");
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("pack", set.pack());
    if (!distractors.isEmpty()) {
      r.put("distractorRealism", realism(set, cal));
    }
    r.put("targetFpir", fpir);
    r.put("fixedFmr", fmr);
    r.put("seed", seed);
    r.put("galleries", rows);
    spec.commandLine().getOut().println(new Json().write(r));
    return 0;
  }

  /**
   * How often real photos falsely match synthetic distractors at the pack's calibrated thresholds,
   * beside the rate measured on real impostor pairs: a distractor set that matches less often than
   * real strangers makes a rule look safer than it is.
   */
  private List<Map<String, Object>> realism(EmbeddedSet set, FmrTable cal) {
    org.likeness.eval.openset.Distractors.Synthetic made = morph()
        ? new org.likeness.eval.openset.Distractors(set, seed).morphs(set, 20_000)
        : new org.likeness.eval.openset.Distractors(set, seed).gaussian(20_000);
    float[][] fake = made.vectors();
    int probes = Math.min(2_000, set.paths().size());
    int dim = fake[0].length;
    double[] rates = {1e-3, 1e-4, 1e-5};
    long[] hits = new long[rates.length];
    double[] thresholds = new double[rates.length];
    for (int k = 0; k < rates.length; k++) {
      thresholds[k] = cal.thresholdFor(rates[k]);
    }
    java.util.stream.IntStream.range(0, probes).parallel().forEach(i -> {
      float[] p = set.embeddings()[(int) ((long) i * set.paths().size() / probes)];
      long[] local = new long[rates.length];
      int own = set.identity()[(int) ((long) i * set.paths().size() / probes)];
      for (int j = 0; j < fake.length; j++) {
        if (made.from()[j] == own || made.with()[j] == own) {
          continue; // a morph of the probe's own identity is no stranger to it
        }
        float[] f = fake[j];
        float s = 0;
        for (int d = 0; d < dim; d++) {
          s += p[d] * f[d];
        }
        for (int k = 0; k < rates.length; k++) {
          local[k] += s >= thresholds[k] ? 1 : 0;
        }
      }
      synchronized (hits) {
        for (int k = 0; k < rates.length; k++) {
          hits[k] += local[k];
        }
      }
    });
    List<Map<String, Object>> out = new ArrayList<>();
    for (int k = 0; k < rates.length; k++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("threshold", Json.round4(thresholds[k]));
      m.put("realImpostorFmr", rates[k]);
      m.put("distractorFmr", (double) hits[k] / ((long) probes * fake.length));
      out.add(m);
    }
    return out;
  }

  private boolean morph() {
    if (!distractorKind.equals("morph") && !distractorKind.equals("gaussian")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--distractor-kind is morph or gaussian");
    }
    return distractorKind.equals("morph");
  }

  private static Map<String, Object> outcome(OpenSetStudy.Searched s, double threshold, double target) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("threshold", Json.round4(threshold));
    double measured = s.fpir(threshold);
    m.put("fpir", Math.round(measured * 1e5) / 1e5);
    m.put("fpirOverTarget", Math.round(measured / target * 100) / 100.0);
    m.put("fnir", Json.round4(s.fnir(threshold)));
    m.put("misnamed", Json.round4(s.misnamed(threshold)));
    return m;
  }
}
