package org.likeness.video;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.store.MediaInfo;
import org.likeness.gallery.store.StoredJson;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.track.Sighting;
import org.likeness.video.track.Track;

/**
 * The JSON answer of a video scan (a contract other tools call):
 * {@code {"video","durationSeconds","fps","width","height","sampledFps","tracks":[{"track","start","end",
 * "samples","best":{"time","box","quality"},"boxes":[{"time","box"}],"decision","candidates"}]}},
 * without {@code decision}/{@code candidates} when no gallery was searched, and with {@code "error"}
 * after the tracks when the video ended early (damage): the tracks are those found before it. A
 * decision carried from a linked track of the same person adds {@code "carriedFrom"} (that track's
 * number) and {@code "link"} (the two templates' similarity).
 */
public final class ScanShapes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScanShapes() {}

  /** The scan; {@code ids} holds each track's identification in order, or is null without a gallery. */
  public static Map<String, Object> scan(VideoScanner.Scan scan, List<Identification> ids) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("video", scan.video().toString());
    m.put("durationSeconds", Shapes.round4(scan.info().durationSeconds()));
    m.put("fps", Shapes.round4(scan.info().fps()));
    m.put("width", scan.info().width());
    m.put("height", scan.info().height());
    m.put("sampledFps", Shapes.round4(scan.sampledFps()));
    List<Map<String, Object>> tracks = new ArrayList<>();
    for (int i = 0; i < scan.tracks().size(); i++) {
      tracks.add(track(scan.tracks().get(i), i + 1, ids == null ? null : ids.get(i)));
    }
    m.put("tracks", tracks);
    if (scan.error() != null) {
      m.put("error", scan.error());
    }
    return m;
  }

  /** A track's boxes over time: {@code [{"time","box"}]}. */
  public static List<Map<String, Object>> boxes(Track t) {
    List<Map<String, Object>> boxes = new ArrayList<>();
    for (Sighting s : t.sightings()) {
      Map<String, Object> sb = new LinkedHashMap<>();
      sb.put("time", Shapes.round4(s.time()));
      sb.put("box", Shapes.box(s.box()));
      boxes.add(sb);
    }
    return boxes;
  }

  /**
   * A stored scan: {@code {"scan","media":{"sha256","kind","path","bytes","durationSeconds","fps","width","height"},
   * "pack","gallery","sampledFps","sampledFrames","created","identified","error"}} and then, for a
   * video, {@code "tracks"} in the shape of {@code video scan} (candidates also name the enrolled
   * {@code face} they matched) plus each track's reviewer {@code verdict} and, for a track linked with others as one person,
   * {@code link} (the group's first track); for a photo, {@code "faces"}
   * with {@code face, box, quality, decision, candidates, verdict}. With {@code crops}, each
   * sighting carries its best-frame crop as a PNG data URL.
   */
  public static Map<String, Object> stored(StoredScan s, List<StoredSighting> sightings, boolean crops) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scan", s.id());
    MediaInfo media = s.media();
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("sha256", media.sha256());
    md.put("kind", media.kind());
    md.put("path", media.path());
    md.put("bytes", media.bytes());
    md.put("durationSeconds", media.durationSeconds() == null ? null : Shapes.round4(media.durationSeconds()));
    md.put("fps", media.fps() == null ? null : Shapes.round4(media.fps()));
    md.put("width", media.width());
    md.put("height", media.height());
    m.put("media", md);
    m.put("pack", s.packId());
    m.put("gallery", s.gallery());
    m.put("sampledFps", s.sampledFps() == null ? null : Shapes.round4(s.sampledFps()));
    m.put("sampledFrames", s.sampledFrames());
    m.put("created", s.created().toString());
    m.put("identified", s.identified() == null ? null : s.identified().toString());
    m.put("error", s.error());
    List<Map<String, Object>> out = new ArrayList<>();
    for (StoredSighting g : sightings) {
      Map<String, Object> t = new LinkedHashMap<>();
      if (media.video()) {
        t.put("track", g.number());
        t.put("start", Shapes.round4(g.start()));
        t.put("end", Shapes.round4(g.end()));
        t.put("samples", g.samples());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("time", Shapes.round4(g.bestTime()));
        b.put("box", Shapes.box(g.box()));
        b.put("quality", StoredJson.qualityOf(g.qualityJson()));
        t.put("best", b);
        t.put("boxes", StoredJson.boxesOf(g.boxesJson()));
        if (g.link() != null) { // only then: the first track of the tracks of this video linked with it as one person
          t.put("link", g.link());
        }
      } else {
        t.put("face", g.number());
        t.put("box", Shapes.box(g.box()));
        t.put("quality", StoredJson.qualityOf(g.qualityJson()));
      }
      if (g.decisionJson() != null) {
        Map<?, ?> d = (Map<?, ?>) read(g.decisionJson());
        t.put("decision", d.get("decision"));
        t.put("candidates", d.get("candidates"));
      }
      StoredSighting.Verdict v = g.verdict();
      if (v == null) {
        t.put("verdict", null);
      } else {
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("verdict", v.verdict());
        vm.put("subject", v.subject());
        vm.put("by", v.by());
        vm.put("at", v.at().toString());
        t.put("verdict", vm);
      }
      if (crops && g.cropPng() != null) {
        t.put("crop", "data:image/png;base64," + Base64.getEncoder().encodeToString(g.cropPng()));
      }
      out.add(t);
    }
    m.put(media.video() ? "tracks" : "faces", out);
    return m;
  }

  /**
   * A stored video scan in exactly the shape of {@code video scan} (a job's result): {@code video}
   * is the name the client gave, candidates carry {@code subject, score, fmr} only.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asVideoScan(StoredScan s, List<StoredSighting> sightings, String video) {
    Map<String, Object> full = stored(s, sightings, false);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("video", video);
    m.put("durationSeconds", Shapes.round4(s.media().durationSeconds()));
    m.put("fps", Shapes.round4(s.media().fps()));
    m.put("width", s.media().width());
    m.put("height", s.media().height());
    m.put("sampledFps", s.sampledFps() == null ? null : Shapes.round4(s.sampledFps()));
    List<Map<String, Object>> tracks = new ArrayList<>();
    List<Map<String, Object>> stored = (List<Map<String, Object>>) full.get("tracks");
    for (Map<String, Object> t : stored) {
      Map<String, Object> c = new LinkedHashMap<>(t);
      c.remove("verdict");
      c.remove("link"); // the stored shape's; video scan's has none
      if (c.get("candidates") instanceof List<?> cands) {
        c.put("candidates", cands.stream().map(x -> {
          Map<String, Object> cm = new LinkedHashMap<>((Map<String, Object>) x);
          cm.remove("face");
          return cm;
        }).toList());
      }
      tracks.add(c);
    }
    m.put("tracks", tracks);
    if (s.error() != null) {
      m.put("error", s.error());
    }
    return m;
  }

  /** One line per stored scan for listings: id, media, counts, when. */
  public static Map<String, Object> listed(StoredScan s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scan", s.id());
    m.put("kind", s.media().kind());
    m.put("path", s.media().path());
    m.put("sha256", s.media().sha256());
    m.put("durationSeconds", s.media().durationSeconds() == null ? null : Shapes.round4(s.media().durationSeconds()));
    m.put(s.media().video() ? "tracks" : "faces", s.sightings());
    m.put("gallery", s.gallery());
    m.put("created", s.created().toString());
    m.put("error", s.error());
    return m;
  }

  private static Object read(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is damaged: " + e.getMessage(), e);
    }
  }

  static Map<String, Object> track(Track t, int number, Identification id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("track", number);
    m.put("start", Shapes.round4(t.start()));
    m.put("end", Shapes.round4(t.end()));
    m.put("samples", t.sightings().size());
    Sighting best = t.best();
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("time", Shapes.round4(best.time()));
    b.put("box", Shapes.box(best.box()));
    b.put("quality", Shapes.quality(best.quality()));
    m.put("best", b);
    m.put("boxes", boxes(t));
    if (id != null) {
      Shapes.Identified shaped = Shapes.identifiedFace(null, id);
      m.put("decision", shaped.decision());
      m.put("candidates", shaped.candidates());
    }
    return m;
  }
}
