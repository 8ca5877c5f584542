package org.likeness.eval.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.engine.embed.FaceEmbedder;
import org.likeness.eval.calibrate.EmbeddedSet;

/** The study on a synthetic labelled set: separated identities are named right by every rule and strangers by none. */
class TrackAggregationStudyTest {

  @Test
  void separatedIdentitiesAreNamedAndStrangersAreNot() {
    Random rnd = new Random(12);
    int dim = 64;
    List<String> paths = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    List<float[]> emb = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int person = 0; person < 40; person++) {
      names.add("p" + person);
      float[] centre = unit(rnd, dim);
      int photos = person % 2 == 0 ? 7 : 1; // half with enough photos for tracks, half single distractors
      for (int k = 0; k < photos; k++) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
          v[d] = (float) (centre[d] + 0.08 * rnd.nextGaussian());
        }
        paths.add("p" + person + "/" + k + ".jpg");
        ids.add(person);
        emb.add(FaceEmbedder.normalize(v));
      }
    }
    EmbeddedSet set = new EmbeddedSet("test", paths, ids.stream().mapToInt(Integer::intValue).toArray(), names,
        emb.toArray(new float[0][]), new boolean[paths.size()]);
    var info = new HashMap<String, Object>();
    var outcomes = new TrackAggregationStudy(set, 5).run(0.5, info);
    assertThat(info).containsEntry("matedTracks", 10).containsEntry("nonMatedTracks", 10).containsEntry("gallerySubjects", 30);
    assertThat(outcomes).hasSize(TrackAggregationStudy.Rule.values().length);
    for (var o : outcomes) {
      assertThat(o.tpir()).as(o.rule().name()).isEqualTo(1.0);
      assertThat(o.fpir()).as(o.rule().name()).isEqualTo(0.0);
    }
  }

  private static float[] unit(Random rnd, int dim) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) rnd.nextGaussian();
    }
    return FaceEmbedder.normalize(v);
  }
}
