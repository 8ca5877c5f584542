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
    DetectOptions strong = engine.detectOptions();
    DetectOptions weak = strong.withScoreThreshold(strong.scoreThreshold() * WEAK_FACTOR);
    Tracker tracker = new Tracker(tracking, engine.pack().recognizer().layout());
    ShotCuts cuts = new ShotCuts();
    int[] sampled = {0};
    VideoInfo[] opened = {null};
    String error = null;
    VideoInfo info;
    try {
      info = new VideoSource(video, limits).scan(fps, i -> opened[0] = i, (SampledFrame f) -> {
      List<Face> faces = engine.embed(engine.detect(f.image(), weak));
      List<Sighting> sightings = new ArrayList<>(faces.size());
      for (Face face : faces) {
        sightings.add(new Sighting(f.time(), face.box(), face.score(), face.quality(), face.embedding(),
            face.score() < strong.scoreThreshold(), face.aligned()));
      }
      tracker.frame(f.time(), sightings, cuts.isCut(f.image()));
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
    return new Scan(video, info, fps > 0 ? fps : info.fps(), sampled[0], tracker.finish(), error);
  }
}
