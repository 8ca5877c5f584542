package org.likeness.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.detect.DetectOptions;
import org.likeness.video.decode.SampledFrame;
import org.likeness.video.decode.VideoDecodeException;
import org.likeness.video.decode.VideoInfo;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.decode.VideoSource;
import org.likeness.video.track.ShotCuts;
import org.likeness.video.track.Stitcher;
import org.likeness.video.track.Sighting;
import org.likeness.video.track.Track;
import org.likeness.video.track.Tracker;

/**
 * Turns a video into face tracks: frames sampled at {@code fps} by presentation time, faces
 * detected twice over (at the pack's score, and at a lower score whose faces may only extend a
 * track, so a briefly blurred face keeps it), embedded, and linked by the {@link Tracker} with cuts
 * between shots. Identification is the caller's (a track's template goes to the gallery service).
 */
public final class VideoScanner {
  /** Share of the pack's detector threshold a face needs to extend an existing track. */
  static final float WEAK_FACTOR = 0.6f;

  private final FaceEngine engine;
  private final VideoLimits limits;
  private final Tracker.Options tracking;

  public VideoScanner(FaceEngine engine, VideoLimits limits, Tracker.Options tracking) {
    this.engine = engine;
    this.limits = limits;
    this.tracking = tracking;
  }

  /**
   * The tracks of a video and what its stream is.
   *
   * @param sampledFrames frames that went through detection
   * @param error why the video ended early (damage after some frames), or null: the tracks are those found before it
   */
  public record Scan(Path video, VideoInfo info, double sampledFps, int sampledFrames, List<Track> tracks, String error) {}

  /** Hears how far a scan has come: the time of the frame just done, and the stream's description. */
  @FunctionalInterface
  public interface Progress {
    void at(double seconds, VideoInfo info);
  }

  /** Scans {@code video} at {@code fps} sampled frames per second (<= 0: every frame); {@code progress} hears each frame done. */
  public Scan scan(Path video, double fps, Progress progress) throws VideoDecodeException {
    Pass p = pass(video, fps, VideoSource.Window.WHOLE, 0, progress);
    return new Scan(video, p.info(), fps > 0 ? fps : p.info().fps(), p.sampled(), p.tracker().finish(), p.error());
  }

  /**
   * One time segment of a video, scanned for a {@link Stitcher} (long videos are split across
   * workers): frames from {@code from} up to {@code to} on the sampling grid that starts at
   * {@code origin} (the stream's first frame time, {@link VideoSource#probe()}); {@code from} must
   * lie on that grid. The sampled frame before {@code from} is read too, so a cut at the border is
   * seen as one pass sees it.
   *
   * @param sampledFrames frames of the segment that went through detection
   */
  public record Segment(VideoInfo info, int sampledFrames, Stitcher.Piece piece, String error) {}

  /** Scans the segment [{@code from}, {@code to}) of {@code video}; see {@link Segment}. */
  public Segment segment(Path video, double fps, double from, double to, double origin, Progress progress) throws VideoDecodeException {
    double lead = from <= origin ? origin : fps > 0 ? from - 1 / fps : from - 0.5;
    Pass p = pass(video, fps, new VideoSource.Window(lead, to, origin), from, progress);
    return new Segment(p.info(), p.sampled(), new Stitcher.Piece(from, p.cuts(), p.tracker().finish()), p.error());
  }

  private record Pass(VideoInfo info, int sampled, Tracker tracker, List<Double> cuts, String error) {}

  /** Reads {@code window}; frames before {@code from} only tell shot cuts, the rest are detected and tracked. */
  private Pass pass(Path video, double fps, VideoSource.Window window, double from, Progress progress) throws VideoDecodeException {
    DetectOptions strong = engine.detectOptions();
    DetectOptions weak = strong.withScoreThreshold(strong.scoreThreshold() * WEAK_FACTOR);
    Tracker tracker = new Tracker(tracking, engine.pack().recognizer().layout());
    ShotCuts shots = new ShotCuts();
    List<Double> cuts = new ArrayList<>();
    int[] sampled = {0};
    VideoInfo[] opened = {null};
    String error = null;
    VideoInfo info;
    try {
      info = new VideoSource(video, limits).scan(fps, window, i -> opened[0] = i, (SampledFrame f) -> {
        boolean cut = shots.isCut(f.image());
        if (f.time() + 1e-6 < from) {
          return; // the lead-in: read for the cut at the segment's first frame only
        }
        if (cut) {
          cuts.add(f.time());
        }
        List<Face> faces = engine.embed(engine.detect(f.image(), weak));
        List<Sighting> sightings = new ArrayList<>(faces.size());
        for (Face face : faces) {
          sightings.add(new Sighting(f.time(), face.box(), face.score(), face.quality(), face.embedding(),
              face.score() < strong.scoreThreshold(), face.aligned()));
        }
        tracker.frame(f.time(), sightings, cut);
        sampled[0]++;
        progress.at(f.time(), opened[0]);
      });
    } catch (VideoDecodeException e) {
      if (opened[0] == null || sampled[0] == 0) {
        throw e; // nothing was read: there is no partial result to give
      }
      info = opened[0];
      error = e.getMessage();
    }
    return new Pass(info, sampled[0], tracker, cuts, error);
  }
}
