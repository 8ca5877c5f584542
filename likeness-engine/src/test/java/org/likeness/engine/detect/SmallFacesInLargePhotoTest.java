package org.likeness.engine.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.Fixtures;
import org.likeness.engine.geom.Box;
import org.likeness.engine.image.Resampler;
import org.likeness.engine.image.RgbImage;

/**
 * A 4000x3000 "group photo" assembled from real fixture faces shrunk to about 40-60 px wide: the
 * tiled pyramid must find them where a single 320x240 pass would shrink them to 3-5 px. Run for
 * every detector a pack offers (UltraFace in faceplugin-0.0.1, YuNet in yunet-2023mar, UltraFace confirmed by YuNet in
 * the default pack).
 */
class SmallFacesInLargePhotoTest {
  private static final java.util.Map<String, FaceEngine> ENGINES = new java.util.HashMap<>();
  private FaceEngine engine;

  static FaceEngine engine(String pack) {
    return ENGINES.computeIfAbsent(pack, id -> new FaceEngine(
        ModelCache.fromEnvironment(System.getenv()).open(id), EngineOptions.defaults()));
  }

  @AfterAll
  static void close() {
    ENGINES.values().forEach(FaceEngine::close);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"faceplugin-0.0.1", "yunet-2023mar", ModelCache.DEFAULT_PACK})
  void findsFortyPixelFacesIn4kPhoto(String pack) throws Exception {
    engine = engine(pack);
    Canvas c = assemble(4000, 3000, 6, 4, 40, 5, 620, 700, 99);
    List<Face> found = engine.detect(c.image());
    assertFound(c.truth(), found, 1, 1);
    // The same photo searched with one whole-image pass finds few of them: the tiled pyramid is what works.
    List<Face> coarse = engine.detect(c.image(), engine.detectOptions().withMinFaceSize(4000));
    long coarseHits = c.truth().stream().filter(t -> coarse.stream().anyMatch(f -> f.box().iou(t) > 0.3)).count();
    assertThat(coarseHits).isLessThan(c.truth().size() / 4);
  }

  /** A crowd: fifty faces of 70-90 px in one 2000x1500 photo, all reported. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"faceplugin-0.0.1", "yunet-2023mar", ModelCache.DEFAULT_PACK})
  void findsFiftyFacesInOnePhoto(String pack) throws Exception {
    engine = engine(pack);
    Canvas c = assemble(2000, 1500, 10, 5, 70, 10, 190, 280, 7);
    List<Face> found = engine.detect(c.image());
    assertThat(c.truth()).hasSize(50);
    assertFound(c.truth(), found, 2, 2);
  }

  private static void assertFound(List<Box> truth, List<Face> found, int missesAllowed, int falsePositivesAllowed) {
    int hits = 0;
    for (Box t : truth) {
      if (found.stream().anyMatch(f -> f.box().iou(t) > 0.3)) {
        hits++;
      }
    }
    long falsePositives = found.stream().filter(f -> truth.stream().noneMatch(t -> t.iou(f.box()) > 0.3)).count();
    assertThat(hits).as("faces found of %d, detections %d", truth.size(), found.size()).isGreaterThanOrEqualTo(truth.size() - missesAllowed);
    assertThat(falsePositives).isLessThanOrEqualTo(falsePositivesAllowed);
  }

  record Canvas(RgbImage image, List<Box> truth) {}

  /** Real fixture heads scaled to faces of {@code minFace + k*step} px, pasted on a textured grid. */
  private Canvas assemble(int cw, int ch, int cols, int rows, int minFace, int step, int dx, int dy, long seed)
      throws Exception {
    String[] sources = {"examples/obama.jpg", "examples/biden.jpg", "examples/alex-lacamoire.png",
        "examples/lin-manuel-miranda.png", "examples/knn_examples/train/rose_leslie/img1.jpg",
        "examples/knn_examples/train/kit_harington/john1.jpeg"};
    List<RgbImage> heads = new ArrayList<>();
    List<Box> faceInHead = new ArrayList<>();
    for (String s : sources) {
      RgbImage img = engine.decode(Fixtures.photo(s));
      Box b = engine.detect(img).get(0).box();
      // Crop the head with a margin of one face width around the box.
      int x = (int) Math.max(0, b.x() - b.width()), y = (int) Math.max(0, b.y() - b.height() * 0.8);
      int w = (int) Math.min(img.width() - x, b.width() * 3), h = (int) Math.min(img.height() - y, b.height() * 2.6);
      heads.add(img.crop(x, y, w, h));
      faceInHead.add(new Box(b.x() - x, b.y() - y, b.width(), b.height()));
    }
    byte[] px = new byte[cw * ch * 3];
    Random rnd = new Random(seed);
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (110 + rnd.nextInt(30)); // textured grey, not a flat field
    }
    RgbImage canvas = new RgbImage(cw, ch, px);
    List<Box> truth = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int k = (r * cols + c) % heads.size();
        double faceWidth = minFace + (r * cols + c) % 5 * step;
        double scale = faceWidth / faceInHead.get(k).width();
        RgbImage head = Resampler.resize(heads.get(k), (int) Math.round(heads.get(k).width() * scale),
            (int) Math.round(heads.get(k).height() * scale));
        int ox = dx / 4 + c * dx + rnd.nextInt(Math.max(1, dx / 4)), oy = dy / 5 + r * dy + rnd.nextInt(Math.max(1, dy / 5));
        paste(canvas, head, ox, oy);
        Box f = faceInHead.get(k);
        truth.add(new Box(ox + f.x() * scale, oy + f.y() * scale, f.width() * scale, f.height() * scale));
      }
    }
    return new Canvas(canvas, truth);
  }

  private static void paste(RgbImage dst, RgbImage src, int ox, int oy) {
    for (int y = 0; y < src.height() && oy + y < dst.height(); y++) {
      System.arraycopy(src.pixels(), y * src.width() * 3, dst.pixels(), ((oy + y) * dst.width() + ox) * 3,
          Math.min(src.width(), dst.width() - ox) * 3);
    }
  }
}
