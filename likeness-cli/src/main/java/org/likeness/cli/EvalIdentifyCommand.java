package org.likeness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.eval.calibrate.SamePersonList;
import org.likeness.eval.metrics.IdentificationMetrics;
import org.likeness.eval.pairs.FaceChoice;
import org.likeness.eval.plot.CmcPlot;
import org.likeness.gallery.Gallery;
import org.likeness.gallery.enroll.BulkSource;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.EnrollOutcome;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Candidate;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.GalleryStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code likeness eval identify DIR|FILE.csv}: the 1:N protocol. Per subject the first image(s) (in
 * name order, {@code --enrol N}) are enrolled and the others are mated probes; distractor subjects are never enrolled
 * and all their images are non-mated probes. With {@code --leave-one-out}, every mated probe is
 * also scored as a non-mated one with its own subject left out of the candidates (exact for the
 * max aggregation), which multiplies the non-mated searches a small set can offer.
 */
@Command(name = "identify", mixinStandardHelpOptions = true,
    description = "1:N protocol over a folder tree or CSV (subject,image): rank-1, CMC, FNIR at FPIR.")
final class EvalIdentifyCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Parameters(index = "0", paramLabel = "DIR|FILE.csv")
  Path source;

  @Option(names = "--root", paramLabel = "DIR", description = "Folder the CSV's image paths are relative to (default: the CSV's folder).")
  Path root;

  @Option(names = "--distractor", paramLabel = "SUBJECT", description = "Subject never enrolled (repeatable).")
  List<String> distractors = new ArrayList<>();

  @Option(names = "--enrol", paramLabel = "N", description = "Images enrolled per subject; the rest are probes (default: ${DEFAULT-VALUE}).")
  int enrolPerSubject = 1;

  @Option(names = "--leave-one-out", description = "Also score each mated probe as non-mated with its subject left out.")
  boolean leaveOneOut;

  @Option(names = "--aggregation", description = "Per-subject score: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Aggregation aggregation = Aggregation.MAX;

  @Option(names = "--fpir", description = "FPIR at which FNIR is reported (default: ${DEFAULT-VALUE}, as NIST FRVT).")
  double fpir = 0.003;

  @Option(names = "--cmc", paramLabel = "OUT.png", description = "Write the CMC curve as PNG.")
  Path cmc;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  @Option(names = "--face", description = "Which face of a photo to search with: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; central for face-centred photos such as LFW).")
  FaceChoice face = FaceChoice.LARGEST;

  @Option(names = "--same-person", paramLabel = "FILE",
      description = "Photos filed under two subjects that show one person (e.g. eval/lfw-same-person.txt; a photo is SUBJECT/FILE, for a CSV SUBJECT/PATH): such a candidate is left out of the probe's ranking.")
  Path samePersonFile;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EvalIdentifyCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    List<EnrollItem> items;
    Path base = Files.isDirectory(source) ? source : root != null ? root : source.toAbsolutePath().getParent();
    try {
      items = Files.isDirectory(source) ? BulkSource.folder(source) : BulkSource.csv(source, base);
    } catch (IOException e) {
      throw new InputException("cannot read " + source + ": " + e.getMessage());
    }
    SamePersonList samePerson = SamePersonOption.read(samePersonFile);
    Map<String, List<EnrollItem>> bySubject = new TreeMap<>();
    items.forEach(i -> bySubject.computeIfAbsent(i.subject(), k -> new ArrayList<>()).add(i));
    List<EnrollItem> enrol = new ArrayList<>(), mated = new ArrayList<>(), nonMated = new ArrayList<>();
    for (var e : bySubject.entrySet()) {
      List<EnrollItem> list = new ArrayList<>(e.getValue());
      list.sort(Comparator.comparing(i -> i.image().getFileName().toString()));
      if (distractors.contains(e.getKey())) {
        nonMated.addAll(list);
      } else {
        // Keep at least one probe per subject when it has more than one image.
        int n = Math.max(1, Math.min(enrolPerSubject, list.size() - 1));
        enrol.addAll(list.subList(0, n));
        mated.addAll(list.subList(n, list.size()));
      }
    }
    try {
      samePerson.requireNamesIn(items.stream().map(i -> key(base, i)).toList());
    } catch (IllegalArgumentException e) {
      throw new InputException(samePersonFile + ": " + e.getMessage());
    }
    var err = spec.commandLine().getErr();
    ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    try (ScratchHome home = new ScratchHome("likeness-eval-identify"); GalleryStore store = GalleryStore.open(home.path());
        FaceEngine engine = engineArgs.open(env)) {
      store.createGallery("eval", engine.pack().id(), engine.embedder().dimension());
      Gallery g = Gallery.open(store, "eval", pool);
      List<EnrollOutcome> outcomes = new Enroller(engine, store, g, new Enroller.Options(false, false, face == FaceChoice.CENTRAL ? Enroller.MultiFace.CENTRAL : Enroller.MultiFace.LARGEST))
          .run(enrol, Runtime.getRuntime().availableProcessors(), o -> { });
      outcomes.stream().filter(o -> o.status() == EnrollOutcome.Status.REJECTED)
          .forEach(o -> err.println("likeness: not enrolled: " + o.reason()));
      MatchPolicy policy = new MatchPolicy(SearchMethod.EXACT, aggregation, engine.verifier().threshold(),
          engine.verifier().calibration());
      int maxRank = Math.max(1, bySubject.size());
      List<Integer> ranks = new ArrayList<>();
      List<Double> matedScores = new ArrayList<>(), nonMatedTops = new ArrayList<>();
      int failed = 0;
      // Subjects whose enrolled photos the same-person list declares one person with a probe.
      Map<String, List<String>> enrolledPhotos = new TreeMap<>();
      enrol.forEach(i -> enrolledPhotos.computeIfAbsent(i.subject(), k -> new ArrayList<>()).add(key(base, i)));
      int samePersonLeftOut = 0;
      for (EnrollItem probe : mated) {
        float[] e = embed(engine, probe.image());
        if (e == null) {
          failed++;
          continue;
        }
        List<Candidate> ranked = g.identify(e, maxRank, policy).candidates();
        List<Candidate> kept = withoutSamePerson(ranked, key(base, probe), enrolledPhotos, samePerson);
        samePersonLeftOut += ranked.size() - kept.size();
        int rank = 0;
        double score = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < kept.size(); r++) {
          if (kept.get(r).subject().equals(probe.subject())) {
            rank = r + 1;
            score = kept.get(r).score();
            break;
          }
        }
        ranks.add(rank);
        matedScores.add(score);
        if (leaveOneOut) {
          nonMatedTops.add(kept.stream().filter(c -> !c.subject().equals(probe.subject()))
              .mapToDouble(Candidate::score).max().orElse(-1));
        }
      }
      for (EnrollItem probe : nonMated) {
        float[] e = embed(engine, probe.image());
        if (e == null) {
          failed++;
          continue;
        }
        List<Candidate> ranked = g.identify(e, samePersonFile == null ? 1 : maxRank, policy).candidates();
        List<Candidate> kept = withoutSamePerson(ranked, key(base, probe), enrolledPhotos, samePerson);
        samePersonLeftOut += ranked.size() - kept.size();
        nonMatedTops.add(kept.isEmpty() ? -1 : kept.get(0).score());
      }
      IdentificationMetrics m = new IdentificationMetrics(ranks.stream().mapToInt(Integer::intValue).toArray(),
          matedScores.stream().mapToDouble(Double::doubleValue).toArray(),
          nonMatedTops.stream().mapToDouble(Double::doubleValue).toArray());
      double[] curve = new double[maxRank];
      for (int k = 1; k <= maxRank; k++) {
        curve[k - 1] = Json.round4(m.cmc(k));
      }
      double[] at = m.fnirAtFpir(fpir);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("source", source.toString());
      r.put("pack", engine.pack().id());
      r.put("enrolledSubjects", store.counts(g.info().id())[0]);
      r.put("enrolledFaces", store.counts(g.info().id())[1]);
      r.put("matedSearches", m.mated());
      r.put("nonMatedSearches", m.nonMated());
      r.put("nonMatedFromLeaveOneOut", leaveOneOut ? m.mated() : 0);
      r.put("failedProbes", failed);
      r.put("face", face.name().toLowerCase(Locale.ROOT));
      if (samePersonFile != null) {
        r.put("samePersonCandidatesLeftOut", samePersonLeftOut);
      }
      r.put("aggregation", aggregation.name().toLowerCase(Locale.ROOT));
      r.put("rank1", Json.round4(m.rank1()));
      r.put("cmc", curve);
      r.put("fpirTarget", fpir);
      r.put("thresholdAtFpir", Json.round4(at[0]));
      r.put("fnirAtFpir", Json.round4(at[1]));
      r.put("fpirResolution", m.nonMated() == 0 ? null : Json.round4(1.0 / m.nonMated()));
      r.put("threshold", policy.threshold());
      r.put("fnirAtThreshold", Json.round4(m.fnir(policy.threshold())));
      r.put("fpirAtThreshold", Json.round4(m.fpir(policy.threshold())));
      if (cmc != null) {
        CmcPlot.write(curve, "CMC " + source.getFileName() + " (" + m.mated() + " mated searches)", cmc);
        r.put("cmcPlot", cmc.toString());
      }
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(new Json().write(r));
      } else {
        r.forEach((k, v) -> out.printf(Locale.ROOT, "%-24s %s%n", k, v instanceof double[] d ? java.util.Arrays.toString(d) : v));
      }
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The candidates less those the list declares the probe's own person under another name. */
  private static List<Candidate> withoutSamePerson(List<Candidate> ranked, String probe, Map<String, List<String>> enrolled,
      SamePersonList list) {
    if (list.entries().isEmpty()) {
      return ranked;
    }
    return ranked.stream().filter(c -> enrolled.getOrDefault(c.subject(), List.of()).stream()
        .noneMatch(photo -> list.declares(probe, photo))).toList();
  }

  /**
   * A photo as the same-person list names it, {@code SUBJECT/FILE}: its path under the folder of a
   * folder tree (LFW's layout), or the subject and the CSV's path.
   */
  private static String key(Path base, EnrollItem item) {
    Path image = item.image();
    String rel = (image.isAbsolute() == base.isAbsolute() ? base.relativize(image) : image).toString()
        .replace(java.io.File.separatorChar, '/');
    return rel.startsWith(item.subject() + "/") ? rel : item.subject() + "/" + rel;
  }

  private float[] embed(FaceEngine engine, Path image) {
    try {
      return face.pick(engine, engine.decode(image)).map(Face::embedding).orElse(null);
    } catch (org.likeness.engine.image.ImageDecodeException e) {
      return null;
    }
  }

}
