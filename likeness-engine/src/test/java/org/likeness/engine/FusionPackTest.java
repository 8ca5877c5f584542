package org.likeness.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.model.ModelCache;

/**
 * The fusion packs open from the cache; a fused embedding is the networks' unit vectors scaled by
 * the square roots of their weights, so the similarity it reports is exactly the weighted sum of
 * the networks' cosines (each network run as its own pack), and it decides the fixture pairs right.
 */
class FusionPackTest {

  /** The default: dlib's network and MobileFaceNet (as revision 2 feeds it), equal weights. */
  @Test
  void defaultDlibAndMobileFaceNetR2() throws Exception {
    check("fusion-dlib-mobilefacenet-r2", 256, "dlib-resnet-v1", 0.5, "mobilefacenet-foamliu-r2", 0.5);
  }

  /** Superseded packs still compute what they did, so that galleries made with them still open. */
  @Test
  void facepluginAndMobileFaceNet() throws Exception {
    check("fusion-faceplugin-mobilefacenet", 640, "faceplugin-0.0.1", 0.3, "mobilefacenet-foamliu", 0.7);
  }

  /** dlib's network reads its own 150 px chip, MobileFaceNet the ArcFace crop: the fused score is still their weighted sum. */
  @Test
  void dlibAndMobileFaceNet() throws Exception {
    check("fusion-dlib-mobilefacenet", 256, "dlib-resnet-v1", 0.8, "mobilefacenet-foamliu", 0.2);
  }

  private static void check(String pack, int dimension, String packA, double wa, String packB, double wb) throws Exception {
    ModelCache cache = ModelCache.fromEnvironment(System.getenv());
    try (FaceEngine fused = new FaceEngine(cache.open(pack), EngineOptions.defaults());
        FaceEngine ea = new FaceEngine(cache.open(packA), EngineOptions.defaults());
        FaceEngine eb = new FaceEngine(cache.open(packB), EngineOptions.defaults())) {
      assertThat(fused.embedder().dimension()).isEqualTo(dimension);
      assertThat(fused.pack().recognizer().fused()).isTrue();
      List<String> photos = List.of("examples/obama.jpg", "examples/obama2.jpg", "examples/biden.jpg",
          "tests/test_images/obama3.jpg", "examples/alex-lacamoire.png");
      float[][] f = new float[photos.size()][], a = new float[photos.size()][], b = new float[photos.size()][];
      for (int i = 0; i < photos.size(); i++) {
        RgbImage img = fused.decode(Fixtures.photo(photos.get(i)));
        Face face = fused.mostProminent(img).orElseThrow();
        assertThat(face.aligned().width()).as("the crop reviewers see is the ArcFace one").isEqualTo(112);
        f[i] = face.embedding();
        a[i] = ea.mostProminent(img).orElseThrow().embedding();
        b[i] = eb.mostProminent(img).orElseThrow().embedding();
        assertThat(dot(f[i], f[i])).isCloseTo(1.0, within(1e-5));
      }
      for (int i = 0; i < photos.size(); i++) {
        for (int j = i + 1; j < photos.size(); j++) {
          double expected = wa * dot(a[i], a[j]) + wb * dot(b[i], b[j]);
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
