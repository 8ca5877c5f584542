package org.likeness.gallery.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Linking one video's tracks: one person's tracks join, tracks seen in one frame never do. Seeded random templates. */
class TrackLinkerTest {
  private static final int DIM = 64;
  private final TrackLinker linker = new TrackLinker(0.6);

  @Test
  void joinsOnePersonsTracksApartInTime() {
    Random rnd = new Random(1);
    float[] ann = unit(rnd);
    float[] bob = unit(rnd);
    List<TrackLinker.Item> items = List.of(item(near(ann, 0.3, rnd), 0, 1), item(near(bob, 0.3, rnd), 0.5, 2),
        item(near(ann, 0.3, rnd), 3, 4));
    assertThat(linker.link(items)).containsExactly(0, 1, 0);
    assertThat(Carrying.labels(linker.link(items), List.of(1, 2, 3))).containsExactly(1, null, 1);
  }

  @Test
  void tracksInOneFrameAreTwoPeopleHoweverAlike() {
    Random rnd = new Random(2);
    float[] ann = unit(rnd);
    List<TrackLinker.Item> items = List.of(item(ann, 0, 1), item(ann, 1, 2)); // both seen at t = 1
    assertThat(linker.link(items)).containsExactly(0, 1);
  }

  @Test
  void aGroupNeverTakesATrackThatSharesAFrameWithAnyOfItsTracks() {
    Random rnd = new Random(3);
    float[] ann = unit(rnd);
    // 0 and 2 share no frame with each other; 1 overlaps 2 only: 0+2 join first (closest), then 1 must stay out
    List<TrackLinker.Item> items = List.of(item(ann, 0, 1), item(near(ann, 0.1, rnd), 4, 6), item(ann, 5, 7));
    int[] g = linker.link(items);
    assertThat(g[0]).isEqualTo(g[2]);
    assertThat(g[1]).isNotEqualTo(g[2]);
  }

  /** People with several tracks each, strangers among them, random times: groups are exactly the people. */
  @RepeatedTest(20)
  void randomScenesGroupByPerson() {
    long seed = new Random().nextLong();
    Random rnd = new Random(seed);
    List<TrackLinker.Item> items = new ArrayList<>();
    List<Integer> person = new ArrayList<>();
    int people = 1 + rnd.nextInt(6);
    for (int p = 0; p < people; p++) {
      float[] centre = unit(rnd);
      int tracks = 1 + rnd.nextInt(5);
      double t = rnd.nextDouble() * 5;
      for (int k = 0; k < tracks; k++) { // one person's tracks follow each other
        double len = 0.2 + rnd.nextDouble() * 3;
        items.add(item(near(centre, 0.25, rnd), t, t + len));
        person.add(p);
        t += len + 0.2 + rnd.nextDouble() * 4;
      }
    }
    int[] g = linker.link(items);
    for (int i = 0; i < items.size(); i++) {
      for (int j = 0; j < items.size(); j++) {
        boolean same = g[i] == g[j];
        assertThat(same).as("seed %d: tracks %d and %d", seed, i, j).isEqualTo(person.get(i).equals(person.get(j)));
        if (same && i != j) {
          assertThat(TrackLinker.shareFrame(items.get(i).times(), items.get(j).times())).isFalse();
        }
      }
    }
  }

  /** A track sampled at 5 frames per second from {@code start} to {@code end}. */
  static TrackLinker.Item item(float[] template, double start, double end) {
    List<Double> times = new ArrayList<>();
    for (long k = Math.round(start * 5); k <= Math.round(end * 5); k++) {
      times.add(k / 5.0);
    }
    return new TrackLinker.Item(template, times.stream().mapToDouble(Double::doubleValue).toArray());
  }

  static float[] unit(Random rnd) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return normalise(v);
  }

  /** A unit vector about {@code noise} away from {@code v}. */
  static float[] near(float[] v, double noise, Random rnd) {
    float[] out = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      out[i] = (float) (v[i] + noise * rnd.nextGaussian() / Math.sqrt(DIM));
    }
    return normalise(out);
  }

  private static float[] normalise(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }
}
