package org.likeness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.video.ScanShapes;
import org.likeness.video.SightingText;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.scan.MediaWalk;
import org.likeness.video.scan.ScanService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code likeness scan DIR|FILE... [--gallery G] --json}: photos and videos alike, each stored as a
 * scan (resumable: media already scanned by this pack, by content hash, are not decoded again).
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = "Scan photos and videos (folders walked), store every face found, and identify them against a gallery.")
final class ScanCommand implements Callable<Integer> {
  private final Map<String, String> env;
  @Mixin EngineArgs engineArgs;
  @Parameters(arity = "1..*", paramLabel = "DIR|FILE") List<Path> paths;
  @Option(names = "--gallery", paramLabel = "G", description = "Identify what is found against this gallery.") String gallery;
  @Option(names = "--fps", paramLabel = "N", description = "Video frames sampled per second, 0 for every frame (default: ${DEFAULT-VALUE}).")
  double fps = 5;
  @Option(names = "--top", paramLabel = "K", description = "Candidates per face or track (default: ${DEFAULT-VALUE}).") int top = 5;
  @Option(names = "--fmr", paramLabel = "RATE", description = "Decision threshold as a measured false-match rate per comparison (instead of --fpir).")
  Double fmr;
  @Option(names = "--fpir", paramLabel = "RATE", description = "Decision threshold as a target false-positive identification rate: "
      + "a stranger named at most this often per face or track, the gallery's size counted (default: 0.01 unless --fmr is given).")
  Double fpir;
  @Option(names = "--again", description = "Scan media already scanned again (replacing their stored scans and verdicts).")
  boolean again;
  @Option(names = "--json", description = "Print JSON on stdout.") boolean json;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  ScanCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    new ScanService.Options(fps, null, top, again); // refuses --fps -1 before any work
    MediaWalk.Found found;
    try {
      found = MediaWalk.walk(paths);
    } catch (IOException e) {
      throw new InputException(e.getMessage());
    }
    try (FaceEngine engine = engineArgs.open(env); LocalGalleries local = LocalGalleries.open(env, engine)) {
      MatchPolicy policy = gallery == null ? null : local.service().policy(fmr, fpir, SearchMethod.AUTO, Aggregation.MAX);
      if (gallery != null) {
        local.service().searchable(gallery); // an unknown gallery or another pack fails before anything is decoded
      }
      ScanService.Options options = new ScanService.Options(fps, policy, top, again);
      // Progress in KiB of media: photos count when done, a video as far as its frames have come.
      long totalBytes = 0;
      for (MediaWalk.Item it : found.media()) {
        totalBytes += sizeOf(it.path());
      }
      ProgressBar bar = new ProgressBar(err, "scan", (int) Math.max(1, totalBytes / 1024), System.console() != null);
      List<Map<String, Object>> media = new ArrayList<>();
      int[] counts = new int[3];
      long doneBytes = 0;
      for (MediaWalk.Item it : found.media()) {
        long size = sizeOf(it.path());
        long before = doneBytes;
        ScanService.Outcome o;
        try {
          o = local.scans().scan(LocalGalleries.actor(), it.path(), it.path().toString(), it.kind(), gallery, options, null,
              (seconds, info) -> bar.update((int) ((before + (long) (size * Math.min(1, seconds / Math.max(1e-3, info.durationSeconds())))) / 1024)));
        } catch (java.io.IOException e) { // this file unreadable (a bad sector, a permission): the others are scanned all the same
          String why = it.path() + ": unreadable (" + e.getMessage() + ")";
          local.audit().append(LocalGalleries.actor(), "scan", gallery, Map.of("path", it.path().toString()), Map.of("error", why));
          o = new ScanService.Outcome(it.path(), it.kind(), null, ScanService.Status.FAILED, null, why);
        }
        doneBytes += size;
        bar.update((int) (doneBytes / 1024));
        counts[o.status().ordinal()]++;
        media.add(shaped(local.scans(), o));
        if (!json) {
          print(local.scans(), o);
        } else if (o.error() != null) {
          err.println("likeness: " + o.error());
        }
      }
      // New unknown faces join the clusters of unknown people (nothing placed before moves).
      try (ClusterService clusters = new ClusterService(local.store(), local.service(), local.audit(), engine.pack().id(),
          engine.embedder().dimension(), ClusterThresholds.forPack(engine.pack()))) {
        clusters.update(LocalGalleries.actor());
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gallery", gallery);
        m.put("media", media);
        m.put("scanned", counts[0]);
        m.put("skipped", counts[1]);
        m.put("failed", counts[2]);
        m.put("otherFiles", found.others());
        spec.commandLine().getOut().println(new Json().write(m));
      } else {
        spec.commandLine().getOut().printf(Locale.ROOT, "%d scanned, %d already scanned, %d failed, %d other files passed over%n",
            counts[0], counts[1], counts[2], found.others());
      }
      return counts[2] > 0 ? Main.EXIT_INPUT : 0;
    }
  }

  /** A file's size for the progress bar; 0 when it cannot be read (its scan then fails with the reason). */
  private static long sizeOf(java.nio.file.Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** One media's line of the answer: path, status, and the stored scan in full (the shape of {@code scans show}). */
  private static Map<String, Object> shaped(ScanService scans, ScanService.Outcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", o.path().toString());
    m.put("kind", o.kind().name().toLowerCase(Locale.ROOT));
    m.put("sha256", o.sha256());
    m.put("status", o.status().name().toLowerCase(Locale.ROOT));
    if (o.error() != null) {
      m.put("error", o.error());
    }
    if (o.scan() != null) {
      m.put("result", ScanShapes.stored(o.scan(), scans.store().sightings(o.scan().id()), false));
    }
    return m;
  }

  private void print(ScanService scans, ScanService.Outcome o) {
    var out = spec.commandLine().getOut();
    String what = o.scan() == null ? "" : String.format(Locale.ROOT, "scan %d, %d %s", o.scan().id(), o.scan().sightings(),
        o.scan().media().video() ? "track(s)" : "face(s)");
    out.printf(Locale.ROOT, "%-8s %s  %s%s%n", o.status().name().toLowerCase(Locale.ROOT), o.path(), what,
        o.error() == null ? "" : "  (" + o.error() + ")");
    if (o.scan() != null) {
      for (StoredSighting g : scans.store().sightings(o.scan().id())) {
        out.println(SightingText.line(o.scan(), g));
      }
    }
  }
}
