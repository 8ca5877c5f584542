package org.likeness.eval.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.engine.embed.FaceEmbedder;
import org.likeness.eval.calibrate.EmbeddedSet;
import org.likeness.eval.calibrate.SamePersonList;

/** The study on a synthetic labelled set: separated identities are named right by every rule and strangers by none. */
class TrackAggregationStudyTest {

  @Test
  void separatedIdentitiesAreNamedAndStrangersAreNot() {
    EmbeddedSet set = set(new Random(12), false);
    var info = new HashMap<String, Object>();
    var outcomes = new TrackAggregationStudy(set, 5, SamePersonList.none().pairsIn(set)).run(0.5, info);
    assertThat(info).containsEntry("matedTracks", 10).containsEntry("nonMatedTracks", 10).containsEntry("gallerySubjects", 30)
        .containsEntry("samePersonCandidatesLeftOut", 0);
    assertThat(outcomes).hasSize(TrackAggregationStudy.Rule.values().length);
    for (var o : outcomes) {
      assertThat(o.tpir()).as(o.rule().name()).isEqualTo(1.0);
      assertThat(o.fpir()).as(o.rule().name()).isEqualTo(0.0);
    }
  }

  /**
   * A held-out person who is also enrolled under a second name (p2 again as "p2-alias", a labelling
   * error) is named by every rule; declared one person by a list, that subject is no candidate and
   * the track is a stranger again, while the mated tracks keep their names.
   */
  @Test
  void aPersonFiledUnderTwoNamesIsNoFalseNameWhenTheListSaysSo() {
    EmbeddedSet set = set(new Random(13), true);
    var plain = new TrackAggregationStudy(set, 5, SamePersonList.none().pairsIn(set)).run(0.5, new HashMap<>());
    for (var o : plain) {
      assertThat(o.fpir()).as(o.rule().name()).isEqualTo(0.1);
    }
    SamePersonList list = SamePersonList.parse(java.util.List.of("p2 p2-alias  # one person, two names"), "test");
    var info = new HashMap<String, Object>();
    var listed = new TrackAggregationStudy(set, 5, list.pairsIn(set)).run(0.5, info);
    assertThat(info).containsEntry("samePersonCandidatesLeftOut", 1);
    for (var o : listed) {
      assertThat(o.tpir()).as(o.rule().name()).isEqualTo(1.0);
      assertThat(o.fpir()).as(o.rule().name()).isEqualTo(0.0);
    }
  }

  /**
   * 40 people around random centres: even ones with 7 photos (tracks), odd ones with 1 (distractors);
   * with {@code alias}, a 41st identity "p2-alias" with one photo of person 2, enrolled as a distractor
   * while person 2 (the second with enough photos) is held out.
   */
  private static EmbeddedSet set(Random rnd, boolean alias) {
    int dim = 64;
    List<String> paths = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    List<float[]> emb = new ArrayList<>();
    List<String> names = new ArrayList<>();
    float[] person2 = null;
    for (int person = 0; person < 40; person++) {
      names.add("p" + person);
      float[] centre = unit(rnd, dim);
      person2 = person == 2 ? centre : person2;
      int photos = person % 2 == 0 ? 7 : 1; // half with enough photos for tracks, half single distractors
      for (int k = 0; k < photos; k++) {
        paths.add("p" + person + "/" + k + ".jpg");
        ids.add(person);
        emb.add(near(centre, rnd));
      }
    }
    if (alias) {
      names.add("p2-alias");
      paths.add("p2-alias/0.jpg");
      ids.add(40);
      emb.add(near(person2, rnd));
    }
    return new EmbeddedSet("test", paths, ids.stream().mapToInt(Integer::intValue).toArray(), names,
        emb.toArray(new float[0][]), new boolean[paths.size()]);
  }

  private static float[] near(float[] centre, Random rnd) {
    float[] v = new float[centre.length];
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) (centre[d] + 0.08 * rnd.nextGaussian());
    }
    return FaceEmbedder.normalize(v);
  }

  private static float[] unit(Random rnd, int dim) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) rnd.nextGaussian();
    }
    return FaceEmbedder.normalize(v);
  }
}
