package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.ScanShapes;
import org.likeness.video.SightingText;
import org.likeness.video.scan.ScanService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness scans list|show|review|export|delete}: the stored scans, thin adapters over {@link ScanService}. */
@Command(name = "scans", mixinStandardHelpOptions = true, description = "Review, export and delete stored scans.")
final class ScansCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** Every sub-command works on the stored scans (no engine: nothing is decoded). */
  abstract static class Base extends LocalCommand {
    Base(Map<String, String> env) {
      super(env);
    }

    /** Runs the operation as {@code actor}; returns what to print (a String as is without --json, anything else as JSON). */
    abstract Object apply(ScanService scans, String actor) throws Exception;

    @Override
    final Object run(LocalGalleries local, String actor) throws Exception {
      return apply(local.scans(), actor);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the stored scans, newest first; filters keep the scans with a face or track that matches all of them.")
  static final class ListScans extends Base {
    @Option(names = "--subject", paramLabel = "S", description = "Only scans where S is decided (or is a reviewer's verdict).")
    String subject;
    @Option(names = "--unknown", description = "Only scans with a face or track nobody was named for.") boolean unknown;
    @Option(names = "--unreviewed", description = "Only scans with a named face or track no reviewer has confirmed or rejected.")
    boolean unreviewed;
    @Option(names = "--gallery", paramLabel = "G", description = "Only scans of this gallery.") String gallery;

    ListScans(Map<String, String> env) {
      super(env);
    }

    private boolean filtered() {
      return subject != null || unknown || unreviewed;
    }

    /** Whether one sighting passes every filter given. */
    private boolean matches(StoredSighting g) {
      String decided = ScanService.decidedSubject(g.decisionJson());
      if (subject != null && !subject.equals(decided) && !(g.verdict() != null && subject.equals(g.verdict().subject()))) {
        return false;
      }
      if (unknown && (g.decisionJson() == null || decided != null)) {
        return false;
      }
      return !unreviewed || (decided != null && g.verdict() == null);
    }

    @Override
    Object apply(ScanService scans, String actor) {
      List<StoredScan> all = scans.store().scans().stream()
          .filter(s -> gallery == null || gallery.equals(s.gallery()))
          .filter(s -> !filtered() || scans.store().sightings(s.id()).stream().anyMatch(this::matches))
          .toList();
      if (json) {
        return Map.of("scans", all.stream().map(ScanShapes::listed).toList());
      }
      StringBuilder sb = new StringBuilder();
      for (StoredScan s : all) {
        sb.append(String.format(Locale.ROOT, "%5d  %-5s %3d %-9s %s%s%n", s.id(), s.media().kind(), s.sightings(),
            s.media().video() ? "track(s)" : "face(s)", s.media().path(), s.gallery() == null ? "" : "  [" + s.gallery() + "]"));
      }
      return sb.isEmpty() ? "no scans" : sb.toString().stripTrailing();
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a stored scan: media, tracks or faces, decisions, verdicts.")
  static final class Show extends Base {
    @Parameters(index = "0", paramLabel = "SCAN") long scan;

    Show(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ScanService scans, String actor) {
      StoredScan s = scans.store().requireScan(scan);
      List<StoredSighting> sightings = scans.store().sightings(scan);
      if (json) {
        return ScanShapes.stored(s, sightings, false);
      }
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "scan %d: %s (%s, sha256 %s)%n", s.id(), s.media().path(),
          s.media().kind(), s.media().sha256()));
      for (StoredSighting g : sightings) {
        sb.append(SightingText.line(s, g)).append('\n');
      }
      return sb.toString().stripTrailing();
    }
  }

  @Command(name = "review", mixinStandardHelpOptions = true,
      description = "Confirm or reject the identity decided for one track (or photo face); --clear removes the verdict.")
  static final class Review extends Base {
    @Parameters(index = "0", paramLabel = "SCAN") long scan;
    @Parameters(index = "1", paramLabel = "TRACK") int track;
    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1") Verdict verdict;
    @Option(names = "--subject", paramLabel = "S",
        description = "The name the track was shown with: refused (exit 1) if the track names another subject now.") String seen;

    static final class Verdict {
      @Option(names = "--confirm") boolean confirm;
      @Option(names = "--reject") boolean reject;
      @Option(names = "--clear") boolean clear;
    }

    Review(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ScanService scans, String actor) {
      String v = verdict.confirm ? "confirmed" : verdict.reject ? "rejected" : null;
      ScanShapes.VerdictSet set = ScanShapes.VerdictSet.of(scan, scans.edits().verdict(actor, scan, track, v, seen));
      return json ? set : "track " + track + " of scan " + scan + ": " + (v == null ? "verdict cleared" : v + " " + set.subject() + " by " + set.by());
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a scan with its best-frame crops to a JSON file, or with --csv one row per face or track for a spreadsheet.")
  static final class Export extends Base {
    @Parameters(index = "0", paramLabel = "SCAN") long scan;
    @Parameters(index = "1", paramLabel = "FILE") Path file;
    @Option(names = "--csv", description = "Write CSV (RFC 4180): one row per face or track, times as 00:01:23.4, no crops.") boolean csv;

    Export(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ScanService scans, String actor) throws Exception {
      if (csv) {
        scans.exports().csv(actor, scan, file);
      } else {
        scans.exports().json(actor, scan, file);
      }
      return json ? new Exported(scan, file.toString()) : "scan " + scan + " written to " + file;
    }
  }

  /** {@code scans import DIR --gallery G}: a Spark job's output stored as scans, idempotent by content. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Store the output of 'spark scan' (a folder, any Hadoop file system) as scans; media already scanned are skipped.")
  static final class Import extends LocalCommand {
    @Parameters(index = "0", paramLabel = "DIR") String dir;
    @Option(names = "--gallery", paramLabel = "G", description = "The gallery the job identified against (a job without one is imported without decisions).")
    String gallery;
    @Option(names = "--master", paramLabel = "URL", description = "Spark master that reads the output (default: ${DEFAULT-VALUE}).")
    String master = "local[1]";
    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = SparkSettings.HELP) Map<String, String> conf = Map.of();

    Import(Map<String, String> env) {
      super(env);
    }

    @Override
    Object run(LocalGalleries local, String actor) throws Exception {
      org.apache.spark.sql.SparkSession spark = org.likeness.spark.SparkSessions.open(master, SparkSettings.of(master, env, conf));
      try {
        var r = new org.likeness.spark.ScanImport(local.store(), local.audit(),
            org.likeness.gallery.store.TemplateCipher.fromEnvironment(env).orElse(null)).run(spark, dir, gallery, actor,
            scan -> forgetVanished(local, actor, scan));
        return json ? shape(r) : String.format("%d media: %d scans stored, %d already there, %d failed", r.media(), r.stored(), r.skipped(),
            r.failed());
      } finally {
        spark.stop();
      }
    }

    /**
     * A job identified against the gallery as it was when it started: an imported scan's sightings
     * that name a subject deleted or renamed since are decided again, as soon as it is stored.
     */
    static void forgetVanished(LocalGalleries local, String actor, long scan) { // its own gallery: the one the job identified against
      local.scans().forgetVanished(actor, "scan.import", local.scans().store().requireScan(scan).gallery(), scan);
    }

    static Map<String, Object> shape(org.likeness.spark.ScanImport.Result r) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("media", r.media());
      m.put("stored", r.stored());
      m.put("skipped", r.skipped());
      m.put("failed", r.failed());
      m.put("sightings", r.sightings());
      m.put("scans", r.scans());
      return m;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a scan for real: its sightings, templates, crops and any uploaded copy of the media.")
  static final class Delete extends Base {
    @Parameters(index = "0", paramLabel = "SCAN") long scan;

    Delete(Map<String, String> env) {
      super(env);
    }

    @Override
    Object apply(ScanService scans, String actor) throws Exception {
      org.likeness.video.scan.ScanEdits.Deleted d = scans.edits().delete(actor, scan);
      return json ? d : "scan " + scan + " deleted (" + d.sightingsDeleted() + " sighting(s))";
    }
  }

  /** {@code likeness rescan [SCAN...] [--gallery G]}: stored sightings identified again against a gallery as it is now. */
  @Command(name = "rescan", mixinStandardHelpOptions = true,
      description = "Identify stored scans again (all, or those named) against a gallery as it is now; verdicts are kept.")
  static final class Rescan implements Callable<Integer> {
    private final Map<String, String> env;
    @Mixin EngineArgs engineArgs;
    @Parameters(arity = "0..*", paramLabel = "SCAN") List<Long> ids = new ArrayList<>();
    @Option(names = "--gallery", paramLabel = "G", description = "Search this gallery (default: each scan's own).") String gallery;
    @Option(names = "--top", paramLabel = "K", description = "Candidates per track (default: ${DEFAULT-VALUE}).") int top = 5;
    @Option(names = "--fmr", paramLabel = "RATE", description = "Decision threshold as a measured false-match rate (instead of --fpir).")
    Double fmr;
    @Option(names = "--fpir", paramLabel = "RATE", description = "Decision threshold as a target false-positive identification rate: "
        + "a stranger named at most this often per face or track, the gallery's size counted (default: 0.01 unless --fmr is given).")
    Double fpir;
    @Option(names = "--json", description = "Print JSON on stdout.") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Rescan(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      try (FaceEngine engine = engineArgs.open(env); LocalGalleries local = LocalGalleries.open(env, engine)) {
        MatchPolicy policy = local.service().policy(fmr, fpir, SearchMethod.AUTO, Aggregation.MAX);
        List<Long> targets = ids;
        if (targets.isEmpty()) { // every scan this pack made that has a gallery to search
          targets = local.scans().store().scans().stream()
              .filter(s -> s.packId().equals(engine.pack().id()) && (gallery != null || s.gallery() != null))
              .map(StoredScan::id).sorted().toList();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        var text = spec.commandLine().getOut();
        for (long id : targets) {
          ScanService.Rescan r = local.scans().rescan(LocalGalleries.actor(), id, gallery, policy, top);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("scan", r.scan().id()); // another gallery's rescan is that gallery's own scan of the media
          if (r.scan().id() != id) {
            m.put("from", id);
          }
          m.put("gallery", r.scan().gallery());
          m.put("sightings", r.scan().sightings());
          m.put("changed", r.changed());
          out.add(m);
          if (!json) {
            text.printf(Locale.ROOT, "scan %d%s against %s: %d sighting(s), %d changed%n", r.scan().id(),
                r.scan().id() == id ? "" : " (" + r.scan().gallery() + "'s own scan of scan " + id + "'s media)", r.scan().gallery(),
                r.scan().sightings(), r.changed().size());
            for (ScanService.Changed c : r.changed()) { // what changed, by name
              text.printf(Locale.ROOT, "  %-9s %s -> %s%n", c.what(), c.before() == null ? "unknown" : c.before(),
                  c.after() == null ? "unknown" : c.after());
            }
          }
        }
        if (json) {
          text.println(new Json().write(Map.of("rescanned", out)));
        }
        return 0;
      }
    }
  }

  /** The JSON of {@code scans export}: the scan and the file it was written to. */
  record Exported(long scan, String file) {}
}
