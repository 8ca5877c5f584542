package org.likeness.gallery.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import org.likeness.engine.model.RecognizerSpec;

/**
 * Clustering decides at the same measured false-match rates whatever the pack: the default pack
 * keeps the similarities chosen with it, a pack on another scale gets its own, and a pack without
 * calibration the values chosen with faceplugin-0.0.1.
 */
class ClusterThresholdsTest {
  private final ModelCache cache = ModelCache.fromEnvironment(System.getenv());

  @Test
  void thePackTheyWereChosenWithKeepsThem() {
    ClusterThresholds t = ClusterThresholds.forPack(cache.open("faceplugin-0.0.1"));
    assertThat(t.link()).isCloseTo(0.47, within(1e-4));
    assertThat(t.suggestFrom()).isCloseTo(0.30, within(1e-4));
    assertThat((double) t.floor()).isCloseTo(0.20, within(1e-4));
  }

  @Test
  void aPackOnAnotherScaleDecidesAtTheSameRates() {
    ModelPack dlib = cache.open("fusion-dlib-mobilefacenet");
    ClusterThresholds t = ClusterThresholds.forPack(dlib);
    assertThat(t.link()).isGreaterThan(0.8); // its impostor pairs average 0.67
    assertThat(t.suggestFrom()).isBetween((double) t.floor(), t.link());
    var table = dlib.recognizer().calibration();
    assertThat(table.fmrAt(t.link()).rate()).isCloseTo(ClusterThresholds.LINK_FMR, within(1e-7));
    assertThat(table.fmrAt(t.suggestFrom()).rate()).isCloseTo(ClusterThresholds.SUGGEST_FMR, within(1e-5));
  }

  @Test
  void uncalibratedPackGetsTheDefaults() {
    ModelPack p = cache.open(ModelCache.DEFAULT_PACK);
    RecognizerSpec r = p.recognizer();
    ModelPack bare = new ModelPack(p.id(), p.version(), p.licence(), p.origin(), p.supersededBy(), p.dir(), p.detector(), p.landmarks(),
        new RecognizerSpec(r.members(), r.embeddingSize(), r.threshold(), null));
    assertThat(ClusterThresholds.forPack(bare)).isEqualTo(ClusterThresholds.DEFAULT);
  }
}
