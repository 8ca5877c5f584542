package org.likeness.engine.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.Fixtures;
import org.likeness.engine.geom.Box;
import org.likeness.engine.image.ImageDecoder;
import org.likeness.engine.image.ImageLimits;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.model.ColorOrder;
import org.likeness.engine.model.InputSpec;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelSpec;
import org.likeness.engine.model.OnnxModel;
import org.likeness.engine.model.Workers;

/**
 * The confirming stage with YuNet, as packs use it: a real face's box is kept and boxes on
 * background are dropped, one candidate per run of the dynamic-size export at 160 px and sixteen
 * to a run of the fixed 640 px file alike, in the candidates' order; the windows are placed where
 * the geometry says.
 */
class FaceConfirmerTest {
  /** obama.jpg's face as the default detector boxes it, and three boxes on the suit and background. */
  private static final Box FACE = new Box(383.8, 78.8, 223.3, 332.4);
  private static final List<Box> BACKGROUND = List.of(new Box(20, 700, 200, 200), new Box(650, 900, 150, 180),
      new Box(0, 0, 120, 140));

  @ParameterizedTest
  @CsvSource({"yunet_s_dynamic.onnx, 160", "face_detection_yunet_2023mar.onnx, 640"})
  void keepsTheFaceAndDropsTheBackground(String file, int side) throws Exception {
    Path model = ModelCache.fromEnvironment(System.getenv()).root().resolve("yunet-2023mar").resolve(file);
    RgbImage img = new ImageDecoder(ImageLimits.DEFAULT).decode(Fixtures.photo("examples/obama.jpg"));
    List<Detection> candidates = new ArrayList<>();
    for (int i = 0; i < 20; i++) { // more than one 640 px run holds
      candidates.add(new Detection(i % 2 == 0 ? FACE : BACKGROUND.get(i % 3), 0.9f - i * 0.01f));
    }
    try (OnnxModel m = OnnxModel.load(new ModelSpec(model, "yunet",
        new InputSpec("input", side, side, ColorOrder.BGR, new float[] {0, 0, 0}, new float[] {1, 1, 1})), 1);
        Workers workers = new Workers(2)) {
      List<Detection> kept = new FaceConfirmer(m, workers, "yunet", 0.5f).confirm(img, candidates);
      assertThat(kept).hasSize(10).allSatisfy(d -> assertThat(d.box()).isEqualTo(FACE));
      assertThat(kept).extracting(Detection::score).isSortedAccordingTo((a, b) -> Float.compare(b, a));
      assertThat(new FaceConfirmer(m, workers, "yunet", 0.5f).confirm(img, List.of())).isEmpty();
    }
  }

  /** A cat's face: UltraFace alone reports it (0.96), the default pack's confirmation drops it; real faces stay. */
  @Test
  void aCatIsNoFaceForTheDefaultPack() throws Exception {
    RgbImage cat = new ImageDecoder(ImageLimits.DEFAULT).decode(Path.of("..", "fixtures", "objects", "chelsea.png"));
    assertThat(SmallFacesInLargePhotoTest.engine("faceplugin-0.0.1").detect(cat)).hasSize(1);
    FaceEngine engine = SmallFacesInLargePhotoTest.engine(ModelCache.DEFAULT_PACK);
    assertThat(engine.detect(cat)).isEmpty();
    assertThat(engine.detect(engine.decode(Fixtures.photo("examples/two_people.jpg")))).hasSize(2);
  }

  /** The window is twice the box's longer side, centred on it; beyond the image it is black. */
  @Test
  void windowsAreCentredOnTheCandidateAndBlackBeyondTheImage() {
    byte[] px = new byte[400 * 300 * 3];
    java.util.Arrays.fill(px, (byte) 200);
    RgbImage img = new RgbImage(400, 300, px);
    RgbImage mosaic = RgbImage.blank(320, 320);
    Box e = FaceConfirmer.paste(img, new Box(100, 100, 50, 60), mosaic, 160, 0);
    assertThat(e.x() + e.width() / 2).isCloseTo(160 + 80, within(1e-9));
    assertThat(e.y() + e.height() / 2).isCloseTo(80, within(1e-9));
    assertThat(e.height()).isCloseTo(80, within(1e-9)); // the longer side fills half the window
    assertThat(mosaic.get(160 + 80, 80, 0)).isEqualTo(200);
    assertThat(mosaic.get(10, 10, 0)).isZero(); // another cell untouched

    RgbImage corner = RgbImage.blank(160, 160);
    Box c = FaceConfirmer.paste(img, new Box(0, 0, 40, 40), corner, 0, 0);
    assertThat(c.x()).isCloseTo(40, within(1e-9)); // window from -20 to 60 at 2 px per image pixel
    assertThat(corner.get(5, 5, 1)).isZero(); // beyond the image's top-left corner
    assertThat(corner.get(120, 120, 1)).isEqualTo(200);
  }
}
