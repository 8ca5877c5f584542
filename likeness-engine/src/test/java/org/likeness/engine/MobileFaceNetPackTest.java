package org.likeness.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.likeness.engine.model.ModelCache;

/**
 * The committed MobileFaceNet (Apache-2.0, 128-d) opens from the cache and decides the fixture pairs
 * right, fed as revision 2 feeds it (ImageNet normalisation) and as the superseded pack did.
 */
class MobileFaceNetPackTest {

  @ParameterizedTest
  @ValueSource(strings = {"mobilefacenet-foamliu-r2", "mobilefacenet-foamliu"})
  void decidesFixturePairs(String pack) throws Exception {
    try (FaceEngine engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(pack),
        EngineOptions.defaults())) {
      assertThat(engine.embedder().dimension()).isEqualTo(128);
      float[] obama = engine.mostProminent(engine.decode(Fixtures.photo("examples/obama.jpg"))).orElseThrow().embedding();
      for (String same : List.of("examples/obama2.jpg", "examples/knn_examples/test/obama1.jpg", "tests/test_images/obama3.jpg")) {
        float[] e = engine.mostProminent(engine.decode(Fixtures.photo(same))).orElseThrow().embedding();
        assertThat(engine.verifier().verify(obama, e).match()).as(same).isTrue();
      }
      for (String other : List.of("examples/biden.jpg", "examples/alex-lacamoire.png", "examples/lin-manuel-miranda.png")) {
        float[] e = engine.mostProminent(engine.decode(Fixtures.photo(other))).orElseThrow().embedding();
        assertThat(engine.verifier().verify(obama, e).match()).as(other).isFalse();
      }
    }
  }
}
