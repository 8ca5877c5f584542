package org.likeness.video.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.likeness.engine.embed.FaceEmbedder;
import org.likeness.engine.geom.Box;
import org.likeness.engine.model.EmbeddingLayout;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.quality.Quality;

/**
 * The tracker on scripted scenes whose truth is known at every sample: two people crossing, one
 * briefly lost, a cut, weak detections, noise in boxes and embeddings (seeded, printed on failure).
 */
class TrackerTest {
  private static final Quality GOOD = new Quality(0.9, 60, 200, 0, 0, 0, true, List.of());

  private static float[] person(Random rnd) {
    float[] v = new float[64];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return FaceEmbedder.normalize(v);
  }

  /** Another sample of the same face: cosine about 0.7-0.8 to the person. */
  private static float[] sample(float[] p, Random rnd) {
    float[] v = new float[p.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (p[i] + 0.09 * rnd.nextGaussian());
    }
    return FaceEmbedder.normalize(v);
  }

  private static Sighting at(double t, double x, double y, float[] e, boolean weak) {
    return new Sighting(t, new Box(x, y, 80, 100), weak ? 0.5f : 0.95f, GOOD, e, weak, null);
  }

  @RepeatedTest(10)
  void twoPeopleCrossingKeepTheirTracks() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    Random rnd = new Random(seed);
    float[] a = person(rnd), b = person(rnd);
    java.util.Map<float[], Character> truth = new java.util.IdentityHashMap<>(); // who each sighting really is
    Tracker tr = new Tracker(Tracker.Options.DEFAULT, EmbeddingLayout.single(64));
    for (int k = 0; k < 40; k++) { // 8 s at 5 fps: A moves right, B moves left, they cross mid-way
      double t = k * 0.2;
      List<Sighting> faces = new ArrayList<>();
      float[] ea = sample(a, rnd), eb = sample(b, rnd);
      truth.put(ea, 'A');
      truth.put(eb, 'B');
      faces.add(at(t, 100 + k * 15 + rnd.nextGaussian() * 3, 200, ea, false));
      faces.add(at(t, 700 - k * 15 + rnd.nextGaussian() * 3, 210, eb, false));
      java.util.Collections.shuffle(faces, rnd); // detection order says nothing
      tr.frame(t, faces, false);
    }
    List<Track> tracks = tr.finish();
    assertThat(tracks).as("seed " + seed).hasSize(2);
    for (Track track : tracks) { // no identity switch: every sighting of a track is the same person
      assertThat(track.sightings()).as("seed " + seed + ", track " + track.id()).hasSize(40);
      assertThat(track.sightings().stream().map(x -> truth.get(x.embedding())).distinct().toList())
          .as("seed " + seed + ", track " + track.id()).hasSize(1);
    }
  }

  @Test
  void aShortOcclusionKeepsTheTrackALongAbsenceAndACutEndIt() {
    Random rnd = new Random(3);
    float[] a = person(rnd);
    Tracker tr = new Tracker(Tracker.Options.DEFAULT, EmbeddingLayout.single(64));
    double t = 0;
    for (int k = 0; k < 10; k++, t += 0.2) {
      tr.frame(t, List.of(at(t, 300, 200, sample(a, rnd), false)), false);
    }
    t += 1.0; // one second unseen: within the 1.5 s allowance
    for (int k = 0; k < 5; k++, t += 0.2) {
      tr.frame(t, List.of(at(t, 310, 205, sample(a, rnd), false)), false);
    }
    tr.frame(t, List.of(at(t, 310, 205, sample(a, rnd), false)), true); // a cut: a new shot, a new track
    t += 0.2;
    t += 3.0; // gone for three seconds, then back: a new track (leaving and coming back)
    tr.frame(t, List.of(at(t, 310, 205, sample(a, rnd), false)), false);
    List<Track> tracks = tr.finish();
    assertThat(tracks).extracting(tr2 -> tr2.sightings().size()).containsExactly(15, 1, 1);
  }

  @Test
  void weakDetectionsExtendButNeverStartTracks() {
    Random rnd = new Random(4);
    float[] a = person(rnd), ghost = person(rnd);
    Tracker tr = new Tracker(Tracker.Options.DEFAULT, EmbeddingLayout.single(64));
    for (int k = 0; k < 10; k++) {
      double t = k * 0.2;
      boolean blurred = k >= 4 && k <= 6; // a blurred stretch: only the low-score pass finds the face
      tr.frame(t, List.of(at(t, 300 + k * 5, 200, sample(a, rnd), blurred), at(t, 900, 500, sample(ghost, rnd), true)), false);
    }
    List<Track> tracks = tr.finish();
    assertThat(tracks).hasSize(1);
    assertThat(tracks.get(0).sightings()).hasSize(10);
    assertThat(tracks.get(0).best().weak()).isFalse();
  }

  /** The appearance thresholds follow the pack's scale: faceplugin-0.0.1, with which they were chosen, keeps 0.5 / 0.15; dlib's fusion (impostors at 0.67) gets its own at the same false-match rates. */
  @Test
  void appearanceThresholdsFollowThePacksScale() {
    var cache = ModelCache.fromEnvironment(System.getenv());
    Tracker.Options d = Tracker.Options.forPack(cache.open("faceplugin-0.0.1"));
    assertThat(d.minSimilarity()).isCloseTo(0.5, within(1e-4));
    assertThat(d.minSimilarityWithOverlap()).isCloseTo(0.15, within(1e-4));
    var dlib = cache.open("fusion-dlib-mobilefacenet");
    Tracker.Options o = Tracker.Options.forPack(dlib);
    assertThat(o.minSimilarity()).isGreaterThan(0.8);
    assertThat(dlib.recognizer().calibration().fmrAt(o.minSimilarity()).rate())
        .isCloseTo(Tracker.Options.ALONE_FMR, within(1e-7));
    assertThat(o.maxGapSeconds()).isEqualTo(d.maxGapSeconds());
  }

  @Test
  void aTemplateOfTheBestFramesWeighsOnlyThoseAndSurvivesAJoin() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    Random rnd = new Random(seed);
    float[] p = person(rnd);
    EmbeddingLayout layout = EmbeddingLayout.single(64);
    List<Sighting> all = new ArrayList<>();
    for (int k = 0; k < 20; k++) { // qualities in a random order: the best frames are not the first ones
      Quality q = new Quality(0.05 + 0.9 * rnd.nextDouble(), 60, 200, 0, 0, 0, true, List.of());
      all.add(new Sighting(k * 0.2, new Box(100 + k, 100, 80, 100), 0.95f, q, sample(p, rnd), false, null));
    }
    Track whole = new Track(1, all.getFirst(), layout);
    all.subList(1, all.size()).forEach(whole::add);
    Track first = new Track(2, all.getFirst(), layout), second = new Track(3, all.get(10), layout);
    all.subList(1, 10).forEach(first::add);
    all.subList(11, 20).forEach(second::add);
    first.join(second);
    List<Sighting> byWeight = all.stream().sorted(java.util.Comparator.comparingDouble(Sighting::weight).reversed()).toList();
    for (int k : new int[] {1, 3, Track.KEPT_FRAMES}) {
      double[] sum = new double[64];
      for (Sighting s : byWeight.subList(0, k)) {
        for (int i = 0; i < 64; i++) {
          sum[i] += s.weight() * s.embedding()[i];
        }
      }
      float[] expected = layout.template(sum);
      for (Track t : List.of(whole, first)) {
        float[] got = t.bestFramesTemplate(k);
        for (int i = 0; i < 64; i++) {
          assertThat(got[i]).as("k %d, seed %d", k, seed).isCloseTo(expected[i], within(1e-6f));
        }
      }
    }
    assertThat(whole.meanTemplate()).as("every frame, joined or not").containsExactly(first.meanTemplate(), within(1e-6f));
    assertThat(whole.template()).as("a track's template is its best frames'").containsExactly(whole.bestFramesTemplate(Track.TEMPLATE_FRAMES));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> whole.bestFramesTemplate(Track.KEPT_FRAMES + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
