package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageEncoder;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.video.ScanShapes;
import org.likeness.video.VideoScanner;
import org.likeness.video.decode.VideoDecodeException;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.render.AnnotatedVideo;
import org.likeness.video.scan.ContentHash;
import org.likeness.video.track.Track;
import org.likeness.video.track.Tracker;
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
    @Option(names = "--fmr", paramLabel = "RATE", description = "Decision threshold as a measured false-match rate per comparison (default: the pack's).")
    Double fmr;
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
      try (FaceEngine engine = engineArgs.open(env); LocalGalleries local = LocalGalleries.open(env, engine)) {
        MatchPolicy policy = gallery == null ? null : local.service().policy(fmr, SearchMethod.AUTO, Aggregation.MAX);
        if (gallery != null) {
          local.service().searchable(gallery); // an unknown gallery or another pack fails before the video is decoded
        }
        ProgressBar[] bar = {null};
        VideoScanner.Scan scan;
        try {
          // Progress in tenths of a second of video, with the rate and ETA the bar computes.
          VideoScanner.Progress progress = (seconds, info) -> {
            int total = (int) Math.max(1, Math.round(info.durationSeconds() * 10));
            if (bar[0] == null) {
              bar[0] = new ProgressBar(err, "video", total, System.console() != null);
            }
            bar[0].update((int) Math.min(total, Math.round(seconds * 10)));
          };
          scan = new VideoScanner(engine, VideoLimits.DEFAULT, Tracker.Options.forPack(engine.pack())).scan(clip, fps, progress);
          if (bar[0] != null) { // the last frame is a little before the container's end
            bar[0].update((int) Math.max(1, Math.round(scan.info().durationSeconds() * 10)));
          }
        } catch (VideoDecodeException e) {
          throw new InputException(e.getMessage());
        }
        List<Identification> ids = null;
        String sha = ContentHash.sha256(clip); // the media's identity in the store and the audit trail
        Map<String, Object> inputs = Map.of("video", sha, "path", clip.toString(), "tracks", scan.tracks().size());
        if (gallery != null) {
          ids = local.service().identifyAll(LocalGalleries.actor(), gallery, "video.scan", inputs,
              scan.tracks().stream().map(Track::template).toList(), top, policy);
        } else {
          local.scans().audited(LocalGalleries.actor(), "video.scan", inputs, scan.tracks().size());
        }
        // Kept like every scan (replacing an earlier scan of this content): reviewable, rescannable, deletable.
        local.scans().keepVideo(clip, clip.toString(), sha, gallery, scan, ids, null);
        if (annotate != null) {
          List<AnnotatedVideo.Labelled> labelled = new java.util.ArrayList<>();
          for (int i = 0; i < scan.tracks().size(); i++) {
            Identification id = ids == null ? null : ids.get(i);
            String label = id == null ? "track " + (i + 1) : id.unknown() ? "unknown"
                : String.format(Locale.ROOT, "%s %.2f", id.decision().subject(), id.decision().score());
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
        Map<String, Object> result = ScanShapes.scan(scan, ids);
        var out = spec.commandLine().getOut();
        if (json) {
          out.println(new Json().write(result));
        } else {
          out.printf(Locale.ROOT, "%s: %.1f s, %d track(s)%n", clip, scan.info().durationSeconds(), scan.tracks().size());
          for (int i = 0; i < scan.tracks().size(); i++) {
            Track t = scan.tracks().get(i);
            String who = ids == null ? "" : ids.get(i).unknown() ? " unknown" : " " + ids.get(i).decision().subject();
            out.printf(Locale.ROOT, "  track %d  %.2f-%.2f s  %d samples%s%n", i + 1, t.start(), t.end(), t.sightings().size(), who);
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
