package org.likeness.video;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.store.MediaInfo;
import org.likeness.gallery.store.StoredJson;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.track.Sighting;
import org.likeness.video.track.Track;

/**
 * The JSON answers about scans (contracts other tools call), as records in field order. A video
 * scan: {@code {"video","durationSeconds","fps","width","height","sampledFps","tracks":[{"track","start","end",
 * "samples","best":{"time","box","quality"},"boxes":[{"time","box"}],"decision","candidates"}]}},
 * without {@code decision}/{@code candidates} when no gallery was searched, and with {@code "error"}
 * after the tracks when the video ended early (damage): the tracks are those found before it. A
 * decision carried from a linked track of the same person adds {@code "carriedFrom"} (that track's
 * number) and {@code "link"} (the two templates' similarity).
 */
public final class ScanShapes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScanShapes() {}

  /** A box at a time of the video. */
  public record BoxAt(double time, Shapes.BoxShown box) {}

  /** A track's best frame: when, where, and its quality ({@link Shapes.QualityShown}, or as stored). */
  public record Best(double time, Shapes.BoxShown box, Object quality) {}

  /**
   * A track as {@code video scan} shows it; {@code boxes}, {@code decision} and {@code candidates}
   * are the typed shapes of a scan just made, or the stored JSON of a stored one.
   */
  public record TrackShown(int track, double start, double end, int samples, Best best, Object boxes,
      @JsonInclude(JsonInclude.Include.NON_NULL) Object decision, @JsonInclude(JsonInclude.Include.NON_NULL) Object candidates) {}

  /** The answer of {@code video scan} (and of a finished video job), see the class comment. */
  public record VideoScanShown(String video, Double durationSeconds, Double fps, Integer width, Integer height, Double sampledFps,
      List<TrackShown> tracks, @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
    /** The same answer with its error message rewritten (a server names an upload as the client did). */
    public VideoScanShown withError(String message) {
      return new VideoScanShown(video, durationSeconds, fps, width, height, sampledFps, tracks, message);
    }
  }

  /** A reviewer's verdict on a sighting: confirmed or rejected, the subject it was about, who, when. */
  public record VerdictShown(String verdict, String subject, String by, String at) {}

  /** The answer to setting a verdict (REST and CLI): the track, the verdict now (null: cleared), its subject and who set it. */
  public record VerdictSet(long scan, int track, String verdict, String subject, String by) {
    /** The verdict {@code g} holds now. */
    public static VerdictSet of(long scan, org.likeness.gallery.store.StoredSighting g) {
      org.likeness.gallery.store.StoredSighting.Verdict v = g.verdict();
      return v == null ? new VerdictSet(scan, g.number(), null, null, null) : new VerdictSet(scan, g.number(), v.verdict(), v.subject(), v.by());
    }
  }

  /**
   * A stored video track: the {@code video scan} fields, {@code link} (the first track of the tracks of
   * this video linked with it as one person) only when linked, the decision and candidates (each naming
   * the enrolled {@code face} it matched) as stored, the verdict, the best-frame crop when asked for,
   * and the unknown-faces {@code cluster} it is in where a review page asked.
   */
  public record StoredTrack(int track, double start, double end, int samples, Best best, JsonNode boxes,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer link, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode decision,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode candidates, VerdictShown verdict,
      @JsonInclude(JsonInclude.Include.NON_NULL) String crop, @JsonInclude(JsonInclude.Include.NON_NULL) Long cluster) {
    /** This track placed in an unknown-faces cluster. */
    public StoredTrack inCluster(Long c) {
      return new StoredTrack(track, start, end, samples, best, boxes, link, decision, candidates, verdict, crop, c);
    }
  }

  /** A stored photo's face: number, box, quality, decision and candidates as stored, verdict, crop when asked for. */
  public record StoredFace(int face, Shapes.BoxShown box, JsonNode quality, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode decision,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode candidates, VerdictShown verdict,
      @JsonInclude(JsonInclude.Include.NON_NULL) String crop) {}

  /** The media a stored scan read. */
  public record MediaShown(String sha256, String kind, String path, Long bytes, Double durationSeconds, Double fps, Integer width,
      Integer height) {}

  /**
   * A stored scan: {@code {"scan","media","pack","gallery","sampledFps","sampledFrames","created","identified","error"}}
   * and then {@code tracks} for a video, {@code faces} for a photo; a review page adds where the media is served.
   */
  public record StoredScanShown(long scan, MediaShown media, String pack, String gallery, Double sampledFps, Integer sampledFrames,
      String created, String identified, String error, @JsonInclude(JsonInclude.Include.NON_NULL) List<StoredTrack> tracks,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<StoredFace> faces, @com.fasterxml.jackson.annotation.JsonUnwrapped Urls urls) {
    /** Where a review page fetches the media (each null when it is not kept or not of that kind). */
    public record Urls(String videoUrl, String photoUrl) {}

    /** The same scan with its error rewritten, its tracks placed in clusters, and the media's addresses. */
    public StoredScanShown forPage(String newError, java.util.Map<Integer, Long> clusters, String videoUrl, String photoUrl) {
      List<StoredTrack> t = tracks == null ? null : tracks.stream().map(x -> x.inCluster(clusters.get(x.track()))).toList();
      return new StoredScanShown(scan, media, pack, gallery, sampledFps, sampledFrames, created, identified, newError, t, faces,
          new Urls(videoUrl, photoUrl));
    }
  }

  /** A line of a scan listing: id, media, how many tracks (video) or faces (photo), gallery, when, error. */
  public record Listed(long scan, String kind, String path, String sha256, Double durationSeconds,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer tracks, @JsonInclude(JsonInclude.Include.NON_NULL) Integer faces,
      String gallery, String created, String error) {}

  /** The scan; {@code ids} holds each track's identification in order, or is null without a gallery. */
  public static VideoScanShown scan(VideoScanner.Scan scan, List<Identification> ids) {
    List<TrackShown> tracks = new ArrayList<>();
    for (int i = 0; i < scan.tracks().size(); i++) {
      tracks.add(track(scan.tracks().get(i), i + 1, ids == null ? null : ids.get(i)));
    }
    return new VideoScanShown(scan.video().toString(), Shapes.round4(scan.info().durationSeconds()), Shapes.round4(scan.info().fps()),
        scan.info().width(), scan.info().height(), Shapes.round4(scan.sampledFps()), tracks, scan.error());
  }

  /** A track's boxes over time: {@code [{"time","box"}]}. */
  public static List<BoxAt> boxes(Track t) {
    return t.sightings().stream().map(s -> new BoxAt(Shapes.round4(s.time()), Shapes.box(s.box()))).toList();
  }

  /** A stored scan (see {@link StoredScanShown}); with {@code crops}, each sighting carries its best-frame crop as a PNG data URL. */
  public static StoredScanShown stored(StoredScan s, List<StoredSighting> sightings, boolean crops) {
    MediaInfo media = s.media();
    MediaShown md = new MediaShown(media.sha256(), media.kind(), media.path(), media.bytes(), round4(media.durationSeconds()),
        round4(media.fps()), media.width(), media.height());
    List<StoredTrack> tracks = media.video() ? new ArrayList<>() : null;
    List<StoredFace> faces = media.video() ? null : new ArrayList<>();
    for (StoredSighting g : sightings) {
      JsonNode d = g.decisionJson() == null ? null : read(g.decisionJson());
      JsonNode decision = d == null ? null : d.get("decision"), candidates = d == null ? null : d.get("candidates");
      StoredSighting.Verdict v = g.verdict();
      VerdictShown verdict = v == null ? null : new VerdictShown(v.verdict(), v.subject(), v.by(), v.at().toString());
      String crop = crops && g.cropPng() != null ? "data:image/png;base64," + Base64.getEncoder().encodeToString(g.cropPng()) : null;
      if (media.video()) {
        tracks.add(new StoredTrack(g.number(), Shapes.round4(g.start()), Shapes.round4(g.end()), g.samples(),
            new Best(Shapes.round4(g.bestTime()), Shapes.box(g.box()), StoredJson.qualityOf(g.qualityJson())),
            StoredJson.boxesOf(g.boxesJson()), g.link(), decision, candidates, verdict, crop, null));
      } else {
        faces.add(new StoredFace(g.number(), Shapes.box(g.box()), StoredJson.qualityOf(g.qualityJson()), decision, candidates, verdict, crop));
      }
    }
    return new StoredScanShown(s.id(), md, s.packId(), s.gallery(), round4(s.sampledFps()), s.sampledFrames(), s.created().toString(),
        s.identified() == null ? null : s.identified().toString(), s.error(), tracks, faces, null);
  }

  /**
   * A stored video scan in exactly the shape of {@code video scan} (a job's result): {@code video}
   * is the name the client gave, candidates carry {@code subject, score, fmr} only.
   */
  public static VideoScanShown asVideoScan(StoredScan s, List<StoredSighting> sightings, String video) {
    List<TrackShown> tracks = new ArrayList<>();
    for (StoredTrack t : stored(s, sightings, false).tracks()) { // without the stored shape's verdict and link
      tracks.add(new TrackShown(t.track(), t.start(), t.end(), t.samples(), t.best(), t.boxes(), t.decision(),
          t.candidates() == null ? null : withoutFaces(t.candidates())));
    }
    return new VideoScanShown(video, round4(s.media().durationSeconds()), round4(s.media().fps()), s.media().width(), s.media().height(),
        round4(s.sampledFps()), tracks, s.error());
  }

  /** Stored candidates without the enrolled face each matched. */
  private static ArrayNode withoutFaces(JsonNode candidates) {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode c : candidates) {
      ObjectNode copy = ((ObjectNode) c).deepCopy();
      copy.remove("face");
      out.add(copy);
    }
    return out;
  }

  /** One line per stored scan for listings: id, media, counts, when. */
  public static Listed listed(StoredScan s) {
    boolean video = s.media().video();
    return new Listed(s.id(), s.media().kind(), s.media().path(), s.media().sha256(), round4(s.media().durationSeconds()),
        video ? s.sightings() : null, video ? null : s.sightings(), s.gallery(), s.created().toString(), s.error());
  }

  private static Double round4(Double v) {
    return v == null ? null : Shapes.round4(v);
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is damaged: " + e.getMessage(), e);
    }
  }

  static TrackShown track(Track t, int number, Identification id) {
    Sighting best = t.best();
    Shapes.Identified shaped = id == null ? null : Shapes.identifiedFace(null, id);
    return new TrackShown(number, Shapes.round4(t.start()), Shapes.round4(t.end()), t.sightings().size(),
        new Best(Shapes.round4(best.time()), Shapes.box(best.box()), Shapes.quality(best.quality())), boxes(t),
        shaped == null ? null : shaped.decision(), shaped == null ? null : shaped.candidates());
  }
}
