package org.likeness.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.verify.Verifier;

/** The real models on the real fixture photos. */
class FaceEngineFixturesTest {
  private static FaceEngine engine;

  /** One person per file, as the dataset README says. */
  static final List<String> ONE_PERSON = List.of(
      "examples/obama.jpg", "examples/obama2.jpg", "examples/obama_small.jpg", "examples/obama-240p.jpg",
      "examples/obama-480p.jpg", "examples/obama-720p.jpg", "examples/obama-1080p.jpg", "examples/biden.jpg",
      "examples/alex-lacamoire.png", "examples/lin-manuel-miranda.png", "tests/test_images/obama3.jpg",
      "tests/test_images/obama_partial_face.jpg", "tests/test_images/obama_partial_face2.jpg",
      "tests/test_images/32bit.png", "examples/knn_examples/test/alex_lacamoire1.jpg",
      "examples/knn_examples/test/johnsnow_test1.jpg", "examples/knn_examples/test/obama1.jpg",
      "examples/knn_examples/train/alex_lacamoire/img1.jpg", "examples/knn_examples/train/biden/biden.jpg",
      "examples/knn_examples/train/biden/biden2.jpg", "examples/knn_examples/train/kit_harington/john1.jpeg",
      "examples/knn_examples/train/kit_harington/john2.jpeg", "examples/knn_examples/train/obama/obama.jpg",
      "examples/knn_examples/train/obama/obama2.jpg", "examples/knn_examples/train/rose_leslie/img1.jpg",
      "examples/knn_examples/train/rose_leslie/img2.jpg");

  @BeforeAll
  static void open() {
    engine = new FaceEngine(Fixtures.pack(), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static RgbImage load(String rel) throws Exception {
    return engine.decode(Fixtures.photo(rel));
  }

  @Test
  void everyOnePersonPhotoHasExactlyOneFace() throws Exception {
    for (String rel : ONE_PERSON) {
      List<Face> faces = engine.detect(load(rel));
      assertThat(faces).as(rel).hasSize(1);
      Face f = faces.get(0);
      assertThat(f.landmarks().points68()).hasSize(68);
      // The 5 points lie inside (or at most slightly outside, for partial faces) the box.
      f.fivePoints().forEach(p -> assertThat(p.x()).as(rel).isBetween(f.box().x() - 0.1 * f.box().width(), f.box().right() + 0.1 * f.box().width()));
    }
  }

  @Test
  void twoPeopleHasTwoFacesAndEachIsTheRightPerson() throws Exception {
    List<Face> faces = engine.analyze(load("examples/two_people.jpg"));
    assertThat(faces).hasSize(2);
    float[] obama = prominent("examples/obama.jpg");
    float[] biden = prominent("examples/biden.jpg");
    Verifier v = engine.verifier();
    long obamas = faces.stream().filter(f -> v.verify(f.embedding(), obama).match()).count();
    long bidens = faces.stream().filter(f -> v.verify(f.embedding(), biden).match()).count();
    assertThat(obamas).isEqualTo(1);
    assertThat(bidens).isEqualTo(1);
  }

  /** knn_examples: every same-person pair matches, every different-person pair does not. */
  @Test
  void knnExamplesSeparateSameFromDifferentPeople() throws Exception {
    Map<String, List<float[]>> byPerson = new LinkedHashMap<>();
    Path train = Fixtures.dataset().resolve("examples/knn_examples/train");
    for (String person : List.of("alex_lacamoire", "biden", "kit_harington", "obama", "rose_leslie")) {
      try (var files = java.nio.file.Files.list(train.resolve(person))) {
        for (Path p : files.sorted().toList()) {
          byPerson.computeIfAbsent(person, k -> new ArrayList<>()).add(prominentOf(p));
        }
      }
    }
    byPerson.get("alex_lacamoire").add(prominent("examples/knn_examples/test/alex_lacamoire1.jpg"));
    byPerson.get("kit_harington").add(prominent("examples/knn_examples/test/johnsnow_test1.jpg"));
    byPerson.get("obama").add(prominent("examples/knn_examples/test/obama1.jpg"));
    Verifier v = engine.verifier();
    int genuine = 0, impostor = 0;
    List<String> people = List.copyOf(byPerson.keySet());
    for (int i = 0; i < people.size(); i++) {
      for (int j = i; j < people.size(); j++) {
        List<float[]> a = byPerson.get(people.get(i)), b = byPerson.get(people.get(j));
        for (int x = 0; x < a.size(); x++) {
          for (int y = i == j ? x + 1 : 0; y < b.size(); y++) {
            var r = v.verify(a.get(x), b.get(y));
            if (i == j) {
              genuine++;
              assertThat(r.match()).as("%s #%d vs #%d: %.3f", people.get(i), x, y, r.similarity()).isTrue();
            } else {
              impostor++;
              assertThat(r.match()).as("%s vs %s: %.3f", people.get(i), people.get(j), r.similarity()).isFalse();
            }
          }
        }
      }
    }
    assertThat(genuine).isGreaterThanOrEqualTo(8);
    assertThat(impostor).isGreaterThanOrEqualTo(50);
  }

  @Test
  void multiFaceTestPhotosContainTheirPeople() throws Exception {
    assertContains("examples/knn_examples/test/kit_with_rose.jpg", 2,
        prominent("examples/knn_examples/train/kit_harington/john1.jpeg"),
        prominent("examples/knn_examples/train/rose_leslie/img1.jpg"));
    assertContains("examples/knn_examples/test/obama_and_biden.jpg", 2,
        prominent("examples/obama.jpg"), prominent("examples/biden.jpg"));
  }

  private void assertContains(String rel, int atLeast, float[]... people) throws Exception {
    List<Face> faces = engine.analyze(load(rel));
    assertThat(faces.size()).as(rel).isGreaterThanOrEqualTo(atLeast);
    for (float[] person : people) {
      long matches = faces.stream().filter(f -> engine.verifier().verify(f.embedding(), person).match()).count();
      assertThat(matches).as(rel).isEqualTo(1);
    }
  }

  @Test
  void embeddingsAreUnitLengthAndStableAcrossResolutions() throws Exception {
    float[] hi = prominent("examples/obama-1080p.jpg");
    float[] lo = prominent("examples/obama-480p.jpg");
    double norm = 0;
    for (float f : hi) {
      norm += f * f;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(Verifier.cosine(hi, lo)).isGreaterThan(0.8);
  }

  @Test
  void cleanFrontalFixturesPassQualityAndBlurFailsIt() throws Exception {
    for (String rel : List.of("examples/obama.jpg", "examples/biden.jpg", "examples/obama-1080p.jpg", "examples/alex-lacamoire.png")) {
      Face f = engine.detect(load(rel)).get(0);
      assertThat(f.quality().passed()).as(rel + " " + f.quality()).isTrue();
      assertThat(Math.abs(f.quality().yaw())).as(rel).isLessThan(25);
      assertThat(Math.abs(f.quality().roll())).as(rel).isLessThan(15);
    }
    RgbImage sharp = load("examples/obama.jpg");
    RgbImage blurred = org.likeness.engine.image.Resampler.resize(
        org.likeness.engine.image.Resampler.resize(sharp, sharp.width() / 12, sharp.height() / 12), sharp.width(), sharp.height());
    Face b = engine.detect(blurred).get(0);
    Face s = engine.detect(sharp).get(0);
    assertThat(b.quality().sharpness()).isLessThan(s.quality().sharpness() / 3);
    assertThat(b.quality().passed()).as(b.quality().toString()).isFalse();
    assertThat(b.quality().reasons()).anyMatch(r -> r.contains("sharpness"));
  }

  @Test
  void facesCutByTheFrameAreFlagged() throws Exception {
    // A real photo whose frame runs through the eye: a third of the face is outside.
    Face real = engine.detect(load("tests/test_images/obama_partial_face2.jpg")).get(0);
    assertThat(real.quality().outside()).isGreaterThan(0.1);
    assertThat(real.quality().reasons()).anyMatch(r -> r.contains("partly outside the image"));
    // (obama_partial_face.jpg, framed through the outer corner of an eye, sits at the limit: about 10 %.)
    assertThat(engine.detect(load("examples/obama.jpg")).get(0).quality().outside()).isZero();
    // The same face cut ever deeper by the right edge of the frame: flagged once the cut reaches the eye.
    RgbImage full = load("examples/obama.jpg");
    Face whole = engine.detect(full).get(0);
    var eyeR = whole.fivePoints().get(1);
    var nose = whole.fivePoints().get(2);
    double iod = whole.quality().interOcular();
    int judged = 0;
    for (double cutAt : new double[] {eyeR.x(), eyeR.x() - 0.25 * iod, nose.x()}) {
      List<Face> cut = engine.detect(full.crop(0, 0, (int) cutAt, full.height()));
      if (!cut.isEmpty()) { // a detector may not find half a face at all; what it finds must be flagged
        assertThat(cut.get(0).quality().outside()).as("cut at x=" + cutAt).isGreaterThan(0.1);
        assertThat(cut.get(0).quality().passed()).as("cut at x=" + cutAt).isFalse();
        judged++;
      }
    }
    assertThat(judged).as("the detector still finds the face cut at the eye").isPositive();
  }

  /**
   * A photo that is just the face (an ID photo, a dataset crop: about 150 px, the face filling the
   * frame) passes the quality gate and matches the full photo; only the face's own region counts
   * for "outside", not the template's margin around it.
   */
  @Test
  void tightFaceCropsPassAndMatch() throws Exception {
    for (String rel : List.of("examples/obama.jpg", "examples/biden.jpg", "examples/knn_examples/train/rose_leslie/img1.jpg",
        "examples/knn_examples/train/kit_harington/john1.jpeg")) {
      RgbImage full = load(rel);
      Face whole = engine.analyze(full).get(0);
      var b = whole.box();
      int x = (int) Math.max(0, b.x()), y = (int) Math.max(0, b.y());
      int w = (int) Math.min(full.width() - x, b.width()), h = (int) Math.min(full.height() - y, b.height());
      RgbImage crop = full.crop(x, y, w, h);
      RgbImage tight = org.likeness.engine.image.Resampler.resize(crop, 150, (int) Math.round(150.0 * h / w));
      List<Face> found = engine.analyze(tight);
      assertThat(found).as(rel).hasSize(1);
      Face f = found.get(0);
      assertThat(f.quality().passed()).as(rel + ": " + f.quality()).isTrue();
      assertThat(f.quality().outside()).as(rel).isLessThanOrEqualTo(0.1);
      assertThat(engine.verifier().verify(f.embedding(), whole.embedding()).match()).as(rel).isTrue();
    }
  }

  /** LFW-style photos: the face nearest the centre is the labelled one; the centred fallback still yields a usable template. */
  @Test
  void centralFaceAndCentredFallback() throws Exception {
    RgbImage two = load("examples/two_people.jpg");
    Face central = engine.central(two).orElseThrow();
    double cx = two.width() / 2.0;
    for (Face f : engine.detect(two)) {
      assertThat(Math.abs(central.box().center().x() - cx)).isLessThanOrEqualTo(Math.abs(f.box().center().x() - cx));
    }
    // A face-centred square crop, as LFW's: the fallback (no detector) aligns from landmarks in the central square.
    RgbImage full = load("examples/obama.jpg");
    Face whole = engine.analyze(full).get(0);
    var c = whole.box().center();
    int side = (int) (whole.box().width() / 0.45);
    RgbImage square = full.crop((int) Math.max(0, c.x() - side / 2.0), (int) Math.max(0, c.y() - side / 2.0), side, side);
    Face fallback = engine.centredFallback(square, 0.45);
    assertThat(fallback.score()).isZero();
    assertThat(engine.verifier().verify(fallback.embedding(), whole.embedding()).match()).isTrue();
  }

  @Test
  void oneEngineServesConcurrentCallersWithIdenticalResults() throws Exception {
    RgbImage img = load("examples/two_people.jpg");
    List<Face> reference = engine.analyze(img);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Face>>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        runs.add(pool.submit(() -> engine.analyze(img)));
      }
      for (Future<List<Face>> r : runs) {
        List<Face> got = r.get();
        assertThat(got).hasSize(reference.size());
        for (int i = 0; i < got.size(); i++) {
          assertThat(got.get(i).box()).isEqualTo(reference.get(i).box());
          assertThat(Verifier.cosine(got.get(i).embedding(), reference.get(i).embedding())).isGreaterThan(0.9999);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void imageWithoutFacesGivesNone() {
    byte[] px = new byte[640 * 480 * 3];
    java.util.Arrays.fill(px, (byte) 128);
    assertThat(engine.detect(new RgbImage(640, 480, px))).isEmpty();
  }

  private float[] prominent(String rel) throws Exception {
    return prominentOf(Fixtures.photo(rel));
  }

  private float[] prominentOf(Path p) throws Exception {
    return engine.mostProminent(engine.decode(p)).orElseThrow(() -> new AssertionError("no face in " + p)).embedding();
  }
}
