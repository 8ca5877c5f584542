package org.likeness.video;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.service.Shapes;
import org.likeness.video.track.Sighting;
import org.likeness.video.track.Track;

/**
 * The JSON answer of a video scan (a contract other tools call):
 * {@code {"video","durationSeconds","fps","width","height","sampledFps","tracks":[{"track","start","end",
 * "samples","best":{"time","box","quality"},"boxes":[{"time","box"}],"decision","candidates"}]}},
 * without {@code decision}/{@code candidates} when no gallery was searched, and with {@code "error"}
 * after the tracks when the video ended early (damage): the tracks are those found before it.
 */
public final class ScanShapes {
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
    List<Map<String, Object>> boxes = new ArrayList<>();
    for (Sighting s : t.sightings()) {
      Map<String, Object> sb = new LinkedHashMap<>();
      sb.put("time", Shapes.round4(s.time()));
      sb.put("box", Shapes.box(s.box()));
      boxes.add(sb);
    }
    m.put("boxes", boxes);
    if (id != null) {
      Map<String, Object> shaped = Shapes.identifiedFace(null, id);
      m.put("decision", shaped.get("decision"));
      m.put("candidates", shaped.get("candidates"));
    }
    return m;
  }
}
