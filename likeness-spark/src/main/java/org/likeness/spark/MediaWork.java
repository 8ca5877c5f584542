package org.likeness.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.image.RgbImage;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.VideoScanner;
import org.likeness.video.decode.VideoDecodeException;
import org.likeness.video.decode.VideoInfo;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.decode.VideoSource;
import org.likeness.video.scan.ContentHash;
import org.likeness.video.scan.MediaKind;
import org.likeness.video.scan.SightingRows;
import org.likeness.video.track.Stitcher;
import org.likeness.video.track.Track;
import org.likeness.video.track.Tracker;

/**
 * What executors do, one step per function: tell a file's kind and probe a video, scan a photo,
 * scan one segment of a video, and finish a video from its segments (stitch, link, identify). Each
 * step turns a bad file into a failed result with its reason; the job goes on.
 */
final class MediaWork {
  private MediaWork() {}

  /** Everything an executor needs besides the item: the engine, the gallery (null: none), how to sample, limits, Hadoop settings. */
  record Context(EngineSpec engine, org.apache.spark.broadcast.Broadcast<GallerySnapshot> broadcast, double fps, VideoLimits limits,
      Map<String, String> hadoop) implements Serializable {
    /** The broadcast gallery, or null when the job identifies nobody. */
    GallerySnapshot gallery() {
      return broadcast == null ? null : broadcast.value();
    }
  }

  /**
   * A file once its kind is known: a video probed (hash, stream, first frame time) ready to be
   * split, or a photo; {@code failed} set when it is neither or could not be read.
   */
  record Classified(MediaRef ref, MediaKind kind, String sha256, VideoInfo info, double origin, MediaResult failed)
      implements Serializable {}

  /** One unit of work of the scanning stage: a photo, or a segment of a video. */
  record Item(Classified media, int segment, double from, double to) implements Serializable {
    boolean video() {
      return media.kind() == MediaKind.VIDEO;
    }
  }

  /** What an item gave: a photo's result, or a video segment's piece of tracks. */
  record Done(Item item, MediaResult photo, int sampledFrames, Stitcher.Piece piece, String error) implements Serializable {}

  /** Reads a file's first bytes (and a video's stream); {@code named} is true for a file the user named, where "not media" is a failure. */
  static Classified classify(MediaRef ref, Context c) {
    try (LocalMedia m = LocalMedia.open(ref.uri(), c.hadoop())) {
      MediaKind kind = MediaKind.of(m.path());
      if (kind == MediaKind.OTHER) {
        return new Classified(ref, kind, null, null, Double.NaN, ref.named()
            ? MediaResult.failed(ref.uri(), "other", null, ref.uri() + ": neither a photo nor a video this program reads") : null);
      }
      String sha = ContentHash.sha256(m.path());
      if (kind == MediaKind.PHOTO) {
        return new Classified(ref, kind, sha, null, Double.NaN, null);
      }
      try {
        VideoSource.Probe p = new VideoSource(m.path(), c.limits()).probe();
        return new Classified(ref, kind, sha, p.info(), p.firstFrame(), null);
      } catch (VideoDecodeException e) {
        return new Classified(ref, kind, sha, null, Double.NaN,
            MediaResult.failed(ref.uri(), "video", media(ref, "video", sha, null), e.getMessage()));
      }
    } catch (IOException | RuntimeException e) {
      return new Classified(ref, MediaKind.OTHER, null, null, Double.NaN, MediaResult.failed(ref.uri(), "other", null,
          ref.uri() + ": cannot be read (" + e.getMessage() + ")"));
    }
  }

  /** Runs one item. */
  static Done run(Item item, Context c) {
    FaceEngine engine = WorkerEngines.engine(c.engine());
    return item.video() ? segment(item, engine, c) : new Done(item, photo(item.media(), engine, c), 1, null, null);
  }

  private static MediaResult photo(Classified p, FaceEngine engine, Context c) {
    String uri = p.ref().uri();
    try (LocalMedia m = LocalMedia.open(uri, c.hadoop())) {
      RgbImage image = engine.decode(m.path());
      List<Face> faces = engine.analyze(image);
      GallerySnapshot.Matcher matcher = c.gallery() == null ? null : WorkerEngines.matcher(c.gallery(), engine);
      List<Identification> ids = matcher == null ? null : faces.stream()
          .map(f -> matcher.identify(f.embedding(), org.likeness.engine.verify.FaceSize.photo(org.likeness.engine.verify.SmallFaces.widthOf(f.box().width()))))
          .toList();
      List<StoredSighting.New> rows = SightingRows.photo(faces, ids, matcher == null ? null : matcher.policy(),
          matcher == null ? 1 : matcher.top());
      return new MediaResult(uri, "photo", new ScanStore.NewMedia(p.sha256(), "photo", uri, Files.size(m.path()), null, null,
          image.width(), image.height(), null), null, 1, null, false, rows);
    } catch (ImageDecodeException | IOException | RuntimeException e) {
      return MediaResult.failed(uri, "photo", media(p.ref(), "photo", p.sha256(), null), e.getMessage());
    }
  }

  private static Done segment(Item item, FaceEngine engine, Context c) {
    try (LocalMedia m = LocalMedia.open(item.media().ref().uri(), c.hadoop())) {
      VideoScanner.Segment s = new VideoScanner(engine, c.limits(), Tracker.Options.forPack(engine.pack()))
          .segment(m.path(), c.fps(), item.from(), item.to(), item.media().origin(), (t, i) -> { });
      return new Done(item, null, s.sampledFrames(), s.piece(), s.error());
    } catch (VideoDecodeException | IOException | RuntimeException e) {
      return new Done(item, null, 0, new Stitcher.Piece(item.from(), List.of(), List.of()), e.getMessage());
    }
  }

  /** A video's result from all its segments' pieces: tracks stitched, linked, identified, as a local scan makes them. */
  static MediaResult finish(List<Done> segments, Context c) {
    List<Done> ordered = segments.stream().sorted(Comparator.comparingInt(d -> d.item().segment())).toList();
    Classified v = ordered.getFirst().item().media();
    String uri = v.ref().uri();
    int sampled = ordered.stream().mapToInt(Done::sampledFrames).sum();
    String error = ordered.stream().map(Done::error).filter(e -> e != null).findFirst().orElse(null);
    ScanStore.NewMedia media = media(v.ref(), "video", v.sha256(), v.info());
    if (sampled == 0) {
      return MediaResult.failed(uri, "video", media, error != null ? error : uri + ": no frames");
    }
    FaceEngine engine = WorkerEngines.engine(c.engine());
    List<Track> tracks = new Stitcher(Tracker.Options.forPack(engine.pack())).stitch(ordered.stream().map(Done::piece).toList());
    List<Integer> links = SightingRows.links(engine.pack(), tracks);
    GallerySnapshot.Matcher matcher = c.gallery() == null ? null : WorkerEngines.matcher(c.gallery(), engine);
    List<Identification> ids = null;
    if (matcher != null) {
      ids = SightingRows.carried(engine.verifier().calibration(), links, tracks,
          tracks.stream().map(t -> matcher.identify(t.template(), t.faceSize())).toList());
    }
    List<StoredSighting.New> rows = SightingRows.video(tracks, links, ids, matcher == null ? null : matcher.policy(),
        matcher == null ? 1 : matcher.top());
    return new MediaResult(uri, "video", media, c.fps() > 0 ? c.fps() : v.info().fps(), sampled, error, false, rows);
  }

  private static ScanStore.NewMedia media(MediaRef ref, String kind, String sha, VideoInfo info) {
    if (sha == null) {
      return null;
    }
    return info == null ? new ScanStore.NewMedia(sha, kind, ref.uri(), ref.bytes(), null, null, 0, 0, null)
        : new ScanStore.NewMedia(sha, kind, ref.uri(), ref.bytes(), info.durationSeconds(), info.fps(), info.width(), info.height(), null);
  }

  /** The items a job's classified media split into: each photo one item, each video its segments on the sampling grid. */
  static List<Item> items(List<Classified> media, double fps, double segmentSeconds) {
    List<Item> out = new ArrayList<>();
    for (Classified m : media) {
      if (m.failed() != null || m.kind() == MediaKind.OTHER) {
        continue;
      }
      if (m.kind() == MediaKind.PHOTO) {
        out.add(new Item(m, 0, 0, 0));
        continue;
      }
      List<VideoSource.Window> windows = VideoSource.segments(m.origin(), m.origin() + m.info().durationSeconds(), fps, segmentSeconds);
      for (int i = 0; i < windows.size(); i++) {
        out.add(new Item(m, i, windows.get(i).start(), windows.get(i).end()));
      }
    }
    return out;
  }
}
