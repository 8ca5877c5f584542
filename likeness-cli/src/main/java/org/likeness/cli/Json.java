package org.likeness.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.engine.Face;
import org.likeness.engine.geom.Box;
import org.likeness.engine.geom.Point;
import org.likeness.engine.quality.Quality;

/** The CLI's JSON shapes (the contract other tools parse), built as ordered maps. */
final class Json {
  private final ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  String write(Object o) {
    try {
      return mapper.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> box(Box b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("x", round(b.x()));
    m.put("y", round(b.y()));
    m.put("width", round(b.width()));
    m.put("height", round(b.height()));
    return m;
  }

  static List<double[]> points(List<Point> pts) {
    List<double[]> out = new ArrayList<>(pts.size());
    for (Point p : pts) {
      out.add(new double[] {round(p.x()), round(p.y())});
    }
    return out;
  }

  static Map<String, Object> quality(Quality q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("passed", q.passed());
    m.put("reasons", q.reasons());
    m.put("score", round4(q.score()));
    m.put("interOcular", round(q.interOcular()));
    m.put("sharpness", round(q.sharpness()));
    m.put("yaw", round(q.yaw()));
    m.put("roll", round(q.roll()));
    m.put("outside", round4(q.outside()));
    return m;
  }

  /** The per-face object of {@code detect}: box, score, 5 landmarks, quality. */
  static Map<String, Object> face(Face f, boolean all68) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("box", box(f.box()));
    m.put("score", round4(f.score()));
    m.put("landmarks", points(f.fivePoints()));
    if (all68) {
      m.put("landmarks68", points(f.landmarks().points68()));
    }
    m.put("quality", quality(f.quality()));
    return m;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static double round4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
