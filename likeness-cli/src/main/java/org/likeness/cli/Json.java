package org.likeness.cli;

import java.util.List;
import java.util.Map;
import org.likeness.engine.Face;
import org.likeness.engine.geom.Box;
import org.likeness.engine.geom.Point;
import org.likeness.gallery.service.AnswerJson;
import org.likeness.gallery.service.Shapes;

/** JSON output of the CLI: the answers' one codec ({@link AnswerJson}, the REST API's too); the shapes themselves are {@link Shapes}. */
final class Json {
  private final AnswerJson codec = new AnswerJson();

  String write(Object o) {
    return codec.write(o);
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
