package org.likeness.eval.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.engine.embed.FaceEmbedder;
import org.likeness.engine.model.EmbeddingLayout;
import org.likeness.eval.calibrate.EmbeddedSet;
import org.likeness.eval.calibrate.SamePersonList;

/** The study on a synthetic labelled set: separated identities are named right by every rule and strangers by none. */
class TrackAggregationStudyTest {

  @Test
  void separatedIdentitiesAreNamedAndStrangersAreNot() {
    EmbeddedSet set = set(new Random(12), false);
    var info = new HashMap<String, Object>();
    var outcomes = new TrackAggregationStudy(set, EmbeddingLayout.single(set.embeddings()[0].length), 5, SamePersonList.none().pairsIn(set)).run(0.5, info);
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
    var plain = new TrackAggregationStudy(set, EmbeddingLayout.single(set.embeddings()[0].length), 5, SamePersonList.none().pairsIn(set)).run(0.5, new HashMap<>());
    for (var o : plain) {
      assertThat(o.fpir()).as(o.rule().name()).isEqualTo(0.1);
    }
    SamePersonList list = SamePersonList.parse(java.util.List.of("p2 p2-alias  # one person, two names"), "test");
    var info = new HashMap<String, Object>();
    var listed = new TrackAggregationStudy(set, EmbeddingLayout.single(set.embeddings()[0].length), 5, list.pairsIn(set)).run(0.5, info);
    assertThat(info).containsEntry("samePersonCandidatesLeftOut", 1);
    for (var o : listed) {
      assertThat(o.tpir()).as(o.rule().name()).isEqualTo(1.0);
      assertThat(o.fpir()).as(o.rule().name()).isEqualTo(0.0);
    }
  }

  /**
   * Randomized: on crowded sets (people close together, so some tracks are misnamed) with random
   * same-person lists, leaving candidates out can only lower a track's best score: for the mean
   * template and the best single score, strangers named never rise and mated tracks named right
   * never fall; and the count of candidates left out is the brute-force count.
   */
  @Test
  void leavingCandidatesOutNeverNamesMoreStrangersOrFewerMates() {
    long seed = Long.getLong("tests.seed", new Random().nextLong());
    Random rnd = new Random(seed);
    int roundsLeavingOut = 0, roundsNamingStrangers = 0;
    for (int round = 0; round < 40; round++) {
      int people = 10 + rnd.nextInt(30), dim = 8 + rnd.nextInt(24);
      double spread = 0.2 + 0.6 * rnd.nextDouble();
      List<String> paths = new ArrayList<>(), names = new ArrayList<>();
      List<Integer> ids = new ArrayList<>();
      List<float[]> emb = new ArrayList<>();
      for (int p = 0; p < people; p++) {
        names.add("p" + p);
        float[] centre = unit(rnd, dim);
        int photos = 1 + rnd.nextInt(9);
        for (int k = 0; k < photos; k++) {
          paths.add("p" + p + "/" + k + ".jpg");
          ids.add(p);
          float[] v = new float[dim];
          for (int d = 0; d < dim; d++) {
            v[d] = (float) (centre[d] + spread * rnd.nextGaussian() / Math.sqrt(dim));
          }
          emb.add(FaceEmbedder.normalize(v));
        }
      }
      EmbeddedSet set = new EmbeddedSet("test", paths, ids.stream().mapToInt(Integer::intValue).toArray(), names,
          emb.toArray(new float[0][]), new boolean[paths.size()]);
      List<String> lines = new ArrayList<>();
      for (int n = rnd.nextInt(6); n > 0; n--) {
        int a = rnd.nextInt(people), b = rnd.nextInt(people);
        if (a != b) {
          lines.add("p" + a + " " + (rnd.nextBoolean() ? "p" + b : paths.get(paths.indexOf("p" + b + "/0.jpg"))));
        }
      }
      SamePersonList.Pairs pairs = SamePersonList.parse(lines, "random").pairsIn(set);
      double threshold = rnd.nextDouble();
      var none = new TrackAggregationStudy(set, EmbeddingLayout.single(set.embeddings()[0].length), 3, SamePersonList.none().pairsIn(set)).run(threshold, new HashMap<>());
      var info = new HashMap<String, Object>();
      var listed = new TrackAggregationStudy(set, EmbeddingLayout.single(set.embeddings()[0].length), 3, pairs).run(threshold, info);
      String why = "seed " + seed + ", round " + round + ", " + lines;
      for (int r = 0; r < none.size(); r++) {
        var rule = none.get(r).rule();
        if (rule == TrackAggregationStudy.Rule.MEAN_TEMPLATE || rule == TrackAggregationStudy.Rule.MAX_SCORE) {
          assertThat(listed.get(r).fpir()).as(why + " " + rule).isLessThanOrEqualTo(none.get(r).fpir());
          assertThat(listed.get(r).tpir()).as(why + " " + rule).isGreaterThanOrEqualTo(none.get(r).tpir());
        }
      }
      assertThat(info.get("samePersonCandidatesLeftOut")).as(why).isEqualTo(bruteForceLeftOut(set, 3, pairs));
      roundsLeavingOut += (Integer) info.get("samePersonCandidatesLeftOut") > 0 ? 1 : 0;
      roundsNamingStrangers += none.get(0).fpir() > 0 ? 1 : 0;
    }
    // The sets and lists are not so easy that the properties hold vacuously.
    assertThat(roundsLeavingOut).as("seed %d", seed).isGreaterThan(5);
    assertThat(roundsNamingStrangers).as("seed %d", seed).isGreaterThan(5);
  }

  /** The study's split redone plainly: for each track, the gallery photos some photo of it is declared one person with. */
  private static int bruteForceLeftOut(EmbeddedSet set, int length, SamePersonList.Pairs pairs) {
    java.util.Map<Integer, List<Integer>> byId = new java.util.LinkedHashMap<>();
    for (int i = 0; i < set.paths().size(); i++) {
      byId.computeIfAbsent(set.identity()[i], k -> new ArrayList<>()).add(i);
    }
    List<Integer> gallery = new ArrayList<>();
    List<List<Integer>> tracks = new ArrayList<>();
    boolean enrol = true;
    for (List<Integer> photos : byId.values()) {
      if (photos.size() >= 1 + length) {
        if (enrol) {
          gallery.add(photos.get(0));
          tracks.add(photos.subList(1, 1 + length));
        } else {
          tracks.add(photos.subList(0, length));
        }
        enrol = !enrol;
      } else {
        gallery.add(photos.get(0));
      }
    }
    int n = 0;
    for (List<Integer> track : tracks) {
      for (int g : gallery) {
        n += track.stream().anyMatch(i -> pairs.contains(i, g)) ? 1 : 0;
      }
    }
    return n;
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
