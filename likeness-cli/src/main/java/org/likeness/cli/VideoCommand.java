package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.video.ScanShapes;
import org.likeness.video.SightingText;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.VideoScanner;
import org.likeness.video.decode.VideoDecodeException;
import org.likeness.video.render.AnnotatedVideo;
import org.likeness.video.scan.MediaKind;
import org.likeness.video.scan.ScanService;
import org.likeness.gallery.store.ScanStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness video scan}: footage to face tracks, identified against a gallery when one is named. */
@Command(name = "video", mixinStandardHelpOptions = true, description = "Find and follow faces in video.")
final class VideoCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** {@code video scan CLIP [--gallery G] [--fps N] [--annotate OUT.mp4] [--thumbnails DIR] --json}. */
  /** The JSON of {@code video scan}: the scan's shape, then the stored scan's id and what a scan made before kept. */
  record Scanned(@com.fasterxml.jackson.annotation.JsonUnwrapped ScanShapes.VideoScanShown shown, long scan, boolean replaced,
      int verdictsKept, int verdictsDropped) {}

  @Command(name = "scan", mixinStandardHelpOptions = true,
      description = "Sample a video, follow each face as a track, and identify the tracks against a gallery.")
  static final class Scan implements Callable<Integer> {
    private final Map<String, String> env;
    @Mixin EngineArgs engineArgs;
    @Parameters(index = "0", paramLabel = "CLIP") Path clip;
    @Option(names = "--gallery", paramLabel = "G", description = "Identify the tracks against this gallery.") String gallery;
    @Option(names = "--fps", paramLabel = "N", description = "Frames sampled per second, 0 for every frame (default: ${DEFAULT-VALUE}).")
    double fps = 5;
    @Option(names = "--top", paramLabel = "K", description = "Candidates per track (default: ${DEFAULT-VALUE}).") int top = 5;
    @Option(names = "--fmr", paramLabel = "RATE", description = "Decision threshold as a measured false-match rate per comparison (instead of --fpir).")
    Double fmr;
    @Option(names = "--fpir", paramLabel = "RATE", description = "Decision threshold as a target false-positive identification rate: "
        + "a stranger named at most this often per face or track, the gallery's size counted (default: 0.01 unless --fmr is given).")
    Double fpir;
    @Option(names = "--annotate", paramLabel = "OUT.mp4", description = "Write the video with each track's box and name burnt in.")
    Path annotate;
    @Option(names = "--thumbnails", paramLabel = "DIR", description = "Write each track's best-frame face crop as DIR/track-N.png.")
    Path thumbnails;
    @Option(names = "--json", description = "Print JSON on stdout.") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Scan(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      var err = spec.commandLine().getErr();
      new ScanService.Options(fps, null, top, true); // refuses --fps -1 before any work
      if (!Files.exists(clip)) {
        throw new InputException(clip + ": no such file");
      }
      if (Files.isDirectory(clip)) {
        throw new InputException(clip + " is a folder; video scan takes one clip (scan walks folders)");
      }
      // Kinds unknown by header (an MPEG transport stream, say) go to the decoder, which says what it can't read.
      if (MediaKind.of(clip) == MediaKind.PHOTO) {
        throw new InputException(clip + " is a photo, not a video: use scan (or identify)");
      }
      try (FaceEngine engine = engineArgs.open(env); LocalGalleries local = LocalGalleries.open(env, engine)) {
        MatchPolicy policy = gallery == null ? null : local.service().policy(fmr, fpir, SearchMethod.AUTO, Aggregation.MAX);
        if (gallery != null) {
          local.service().searchable(gallery); // an unknown gallery or another pack fails before the video is decoded
        }
        ProgressBar[] bar = {null};
        ScanService.VideoScanned kept;
        try {
          // Progress in tenths of a second of video, with the rate and ETA the bar computes.
          VideoScanner.Progress progress = (seconds, info) -> {
            int total = (int) Math.max(1, Math.round(info.durationSeconds() * 10));
            if (bar[0] == null) {
              bar[0] = new ProgressBar(err, "video", total, System.console() != null);
            }
            bar[0].update((int) Math.min(total, Math.round(seconds * 10)));
          };
          // Kept like every scan: reviewable, rescannable, deletable. A clip scanned before for this
          // gallery keeps its scan id and the verdicts on the tracks found again.
          kept = local.scans().scanVideo(LocalGalleries.actor(), "video.scan", clip, clip.toString(), gallery,
              new ScanService.Options(fps, policy, top, true), progress);
          if (bar[0] != null) { // the last frame is a little before the container's end
            bar[0].update((int) Math.max(1, Math.round(kept.scan().info().durationSeconds() * 10)));
          }
        } catch (VideoDecodeException e) {
          throw new InputException(e.getMessage());
        }
        VideoScanner.Scan scan = kept.scan();
        List<Identification> ids = kept.ids();
        ScanStore.Saved saved = kept.saved();
        if (annotate != null) {
          List<AnnotatedVideo.Labelled> labelled = new java.util.ArrayList<>();
          List<StoredSighting> stored = local.scans().store().sightings(saved.scan().id());
          for (int i = 0; i < scan.tracks().size(); i++) {
            Identification id = ids == null ? null : ids.get(i);
            // unknown faces say why: "unknown (closest 0.31<0.42)"
            String label = id == null ? "track " + (i + 1) : (i + 1) + " " + SightingText.label(stored.get(i).decisionJson());
            labelled.add(new AnnotatedVideo.Labelled(scan.tracks().get(i), label, id != null && !id.unknown()));
          }
          try {
            AnnotatedVideo.write(clip, labelled, scan.info().fps(), annotate);
          } catch (VideoDecodeException | IllegalStateException e) {
            throw new InputException("cannot annotate: " + e.getMessage());
          }
        }
        if (thumbnails != null) {
          Files.createDirectories(thumbnails);
          for (int i = 0; i < scan.tracks().size(); i++) {
            Files.write(thumbnails.resolve("track-" + (i + 1) + ".png"), scan.tracks().get(i).bestCropPng());
          }
        }
        Scanned result = new Scanned(ScanShapes.scan(scan, ids), saved.scan().id(), saved.replaced(), saved.verdictsCarried(),
            saved.verdictsDropped());
        var out = spec.commandLine().getOut();
        if (json) {
          out.println(new Json().write(result));
        } else {
          out.printf(Locale.ROOT, "%s: %.1f s, %d track(s), scan %d%s%n", clip, scan.info().durationSeconds(), scan.tracks().size(),
              saved.scan().id(), !saved.replaced() ? "" : String.format(Locale.ROOT, " (scanned before: same id, %d verdict(s) kept%s)",
                  saved.verdictsCarried(), saved.verdictsDropped() == 0 ? ""
                      : ", " + saved.verdictsDropped() + " on tracks not found again dropped"));
          for (StoredSighting g : local.scans().store().sightings(saved.scan().id())) {
            out.println(SightingText.line(saved.scan(), g));
          }
        }
        if (scan.error() != null) { // the tracks before the damage are printed; the run still fails
          err.println("likeness: " + scan.error());
          return Main.EXIT_INPUT;
        }
        return 0;
      }
    }
  }
}
