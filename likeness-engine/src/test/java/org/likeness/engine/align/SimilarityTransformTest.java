package org.likeness.engine.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.engine.geom.Point;

class SimilarityTransformTest {

  @Test
  void recoversRandomTransformsExactly() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 500; trial++) {
      double scale = 0.05 + rnd.nextDouble() * 10, angle = (rnd.nextDouble() - 0.5) * 2 * Math.PI;
      SimilarityTransform truth = new SimilarityTransform(scale * Math.cos(angle), scale * Math.sin(angle),
          rnd.nextGaussian() * 1000, rnd.nextGaussian() * 1000);
      List<Point> src = new ArrayList<>(), dst = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Point p = new Point(rnd.nextDouble() * 4000, rnd.nextDouble() * 3000);
        src.add(p);
        dst.add(truth.apply(p));
      }
      SimilarityTransform est = SimilarityTransform.estimate(src, dst);
      assertThat(est.a()).isCloseTo(truth.a(), within(1e-6 * scale + 1e-9));
      assertThat(est.b()).isCloseTo(truth.b(), within(1e-6 * scale + 1e-9));
      for (Point p : src) {
        Point back = est.inverse().apply(est.apply(p));
        assertThat(back.x()).isCloseTo(p.x(), within(1e-6));
        assertThat(back.y()).isCloseTo(p.y(), within(1e-6));
      }
    }
  }

  @Test
  void leastSquaresOnNoisyPointsStaysClose() {
    Random rnd = new Random(7);
    List<Point> dst = FaceAligner.ARCFACE_112;
    SimilarityTransform truth = new SimilarityTransform(0.2, 0.05, 10, -20);
    List<Point> src = new ArrayList<>();
    for (Point p : dst) {
      Point q = truth.inverse().apply(p);
      src.add(new Point(q.x() + rnd.nextGaussian() * 0.5, q.y() + rnd.nextGaussian() * 0.5));
    }
    SimilarityTransform est = SimilarityTransform.estimate(src, dst);
    assertThat(est.scale()).isCloseTo(truth.scale(), within(0.01));
    assertThat(est.rotationDegrees()).isCloseTo(truth.rotationDegrees(), within(1.0));
  }

  @Test
  void alignedTemplatePointsLandOnTemplate() {
    // A synthetic face whose landmarks are the template scaled x3 and shifted: alignment must undo it.
    List<Point> five = FaceAligner.ARCFACE_112.stream().map(p -> new Point(p.x() * 3 + 100, p.y() * 3 + 50)).toList();
    SimilarityTransform t = new FaceAligner(FaceAligner.ARCFACE_112, 112).transform(five);
    for (int i = 0; i < 5; i++) {
      Point m = t.apply(five.get(i));
      assertThat(m.x()).isCloseTo(FaceAligner.ARCFACE_112.get(i).x(), within(1e-9));
      assertThat(m.y()).isCloseTo(FaceAligner.ARCFACE_112.get(i).y(), within(1e-9));
    }
  }
}
