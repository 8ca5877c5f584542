package org.likeness.gallery.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;
import org.likeness.engine.verify.FmrTable;
import org.likeness.engine.verify.Verifier;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Candidate;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.TestStorage;

/** Ambiguity is an answer: two enrolled people too close to tell apart are both returned, neither named. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class AmbiguityTest {
  private static final int DIM = 32;
  private static final FmrTable TABLE = new FmrTable(List.of(new FmrTable.Point(1.0, -1.0), new FmrTable.Point(1e-3, 0.6204),
      new FmrTable.Point(1e-4, 0.6630), new FmrTable.Point(1e-5, 0.6988), new FmrTable.Point(1e-6, 0.7291)), 87_307_170, "test");

  private static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  private static float[] mix(float[] a, float[] b, double w) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) (a[i] * (1 - w) + b[i] * w);
    }
    return unit(v);
  }

  @Test
  void twoPeopleTooCloseToTellApartAreAnAnswer(@TempDir Path home) {
    Random random = new Random(Long.getLong("tests.seed", 11));
    float[] a = new float[DIM];
    float[] b = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      a[i] = (float) random.nextGaussian();
      b[i] = (float) random.nextGaussian();
    }
    unit(a);
    unit(b);
    try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
        GalleryService galleries = new GalleryService(store, audit, null, pack -> new Verifier(0.6204, TABLE))) {
      galleries.create("t", "g", "synthetic", DIM);
      galleries.enrolTemplates("t", "g", "twin-1", List.of(new GalleryService.TemplateFace("t1", new Box(0, 0, 1, 1), "{}", a, null)));
      galleries.enrolTemplates("t", "g", "twin-2", List.of(new GalleryService.TemplateFace("t2", new Box(0, 0, 1, 1), "{}",
          mix(a, b, 0.08), null)));
      MatchPolicy fpir = MatchPolicy.atFpir(0.01, TABLE, 0.6204, SearchMethod.EXACT, Aggregation.MAX);
      Identification between = galleries.searchable("g", "synthetic").identify(mix(a, b, 0.04), 5, fpir);
      assertThat(between.decision()).as("the runner-up is within a decade of FMR").isNull();
      assertThat(between.ambiguous()).extracting(Candidate::subject).containsExactlyInAnyOrder("twin-1", "twin-2");
      assertThat(Shapes.identifiedFace(null, between).decision().ambiguous()).isNotEmpty();
      // a fixed-FMR rule keeps its old meaning: the top one is named
      Identification fixed = galleries.searchable("g", "synthetic").identify(mix(a, b, 0.04), 5,
          new MatchPolicy(SearchMethod.EXACT, Aggregation.MAX, 0.6204, TABLE));
      assertThat(fixed.decision()).isNotNull();
      assertThat(fixed.ambiguous()).isEmpty();
      // no one close: no "ambiguous" in the shape
      Identification other = galleries.searchable("g", "synthetic").identify(mix(a, b, 0.6), 5, fpir);
      assertThat(Shapes.identifiedFace(null, other).decision().ambiguous()).isNull();
    }
  }
}
