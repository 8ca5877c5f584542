package org.likeness.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.model.ModelCache;

/**
 * The committed fusion pack (faceplugin 0.3 + MobileFaceNet 0.7) opens from the cache; its embedding
 * is the two networks' unit vectors scaled by the square roots of their weights, so the similarity
 * it reports is exactly the weighted sum of the two networks' cosines, and it decides the fixture
 * pairs right.
 */
class FusionPackTest {

  @Test
  void fusedSimilarityIsTheWeightedSumOfTheNetworksCosines() throws Exception {
    ModelCache cache = ModelCache.fromEnvironment(System.getenv());
    try (FaceEngine fused = new FaceEngine(cache.open("fusion-faceplugin-mobilefacenet"), EngineOptions.defaults());
        FaceEngine fp = new FaceEngine(cache.open("faceplugin-0.0.1"), EngineOptions.defaults());
        FaceEngine mfn = new FaceEngine(cache.open("mobilefacenet-foamliu"), EngineOptions.defaults())) {
      assertThat(fused.embedder().dimension()).isEqualTo(640);
      assertThat(fused.pack().recognizer().fused()).isTrue();
      List<String> photos = List.of("examples/obama.jpg", "examples/obama2.jpg", "examples/biden.jpg",
          "tests/test_images/obama3.jpg", "examples/alex-lacamoire.png");
      float[][] f = new float[photos.size()][], a = new float[photos.size()][], b = new float[photos.size()][];
      for (int i = 0; i < photos.size(); i++) {
        RgbImage img = fused.decode(Fixtures.photo(photos.get(i)));
        f[i] = fused.mostProminent(img).orElseThrow().embedding();
        a[i] = fp.mostProminent(img).orElseThrow().embedding();
        b[i] = mfn.mostProminent(img).orElseThrow().embedding();
        assertThat(dot(f[i], f[i])).isCloseTo(1.0, within(1e-5));
      }
      for (int i = 0; i < photos.size(); i++) {
        for (int j = i + 1; j < photos.size(); j++) {
          double expected = 0.3 * dot(a[i], a[j]) + 0.7 * dot(b[i], b[j]);
          assertThat(fused.verifier().verify(f[i], f[j]).similarity()).as(photos.get(i) + " / " + photos.get(j))
              .isCloseTo(expected, within(1e-4));
        }
      }
      assertThat(fused.verifier().verify(f[0], f[1]).match()).isTrue();
      assertThat(fused.verifier().verify(f[0], f[3]).match()).isTrue();
      assertThat(fused.verifier().verify(f[0], f[2]).match()).isFalse();
      assertThat(fused.verifier().verify(f[0], f[4]).match()).isFalse();
    }
  }

  private static double dot(float[] x, float[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += (double) x[i] * y[i];
    }
    return s;
  }
}
