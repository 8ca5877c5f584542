package org.likeness.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;
import org.likeness.engine.Face;
import org.likeness.engine.geom.Box;
import org.likeness.engine.geom.Point;
import org.likeness.gallery.service.Shapes;

/** JSON output of the CLI; the shapes themselves are {@link Shapes}, shared with the REST API. */
final class Json {
  private final ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  String write(Object o) {
    try {
      return mapper.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Shapes.BoxShown box(Box b) {
    return Shapes.box(b);
  }

  static List<double[]> points(List<Point> pts) {
    return Shapes.points(pts);
  }

  static Shapes.Detected face(Face f, boolean all68) {
    return Shapes.face(f, all68);
  }

  static double round(double v) {
    return Shapes.round(v);
  }

  static double round4(double v) {
    return Shapes.round4(v);
  }
}
