package org.likeness.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small-face rule's parts: the width a face is decided by, which faces are small, and the map's file format. */
class SmallFacesTest {
  private static final long SEED = Long.getLong("tests.seed", new Random().nextLong());
  private static final FmrTable TABLE = new FmrTable(List.of(new FmrTable.Point(1.0, -1.0), new FmrTable.Point(1e-3, 0.66),
      new FmrTable.Point(1e-6, 0.77)), 1000, "test");

  @Test
  void aFaceIsDecidedByTheMedianOfItsBoxesToATenthOfAPixel() {
    assertThat(SmallFaces.widthOf(20.04)).isEqualTo(20.0);
    assertThat(SmallFaces.widthOf(18, 40, 21.26)).isEqualTo(21.3);
    assertThat(SmallFaces.widthOf(18, 20, 22, 90)).isEqualTo(21.0);
    assertThat(SmallFaces.widthOf()).isNaN();
    Random rnd = new Random(SEED);
    for (int n = 0; n < 200; n++) { // the stored boxes (to a hundredth) give back the width the scan decided by
      double[] w = new double[1 + rnd.nextInt(30)];
      double[] stored = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        w[i] = 8 + rnd.nextDouble() * 60;
        stored[i] = Math.round(w[i] * 100) / 100.0;
      }
      assertThat(SmallFaces.widthOf(stored)).as("seed %d", SEED).isEqualTo(SmallFaces.widthOf(w));
    }
  }

  @Test
  void onlyKnownWidthsBelowTheLimitAreSmall() {
    SmallFaces small = new SmallFaces(36, identity(4), TABLE);
    assertThat(small.applies(16)).isTrue();
    assertThat(small.applies(35.9)).isTrue();
    assertThat(small.applies(36)).isFalse();
    assertThat(small.applies(Double.NaN)).isFalse();
    assertThat(small.applies(0)).isFalse();
    assertThatThrownBy(() -> new SmallFaces(0, identity(4), TABLE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMapFileReadsBackAndOthersAreRefused(@TempDir Path dir) throws IOException {
    Random rnd = new Random(SEED);
    double[] w = new double[9];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rnd.nextGaussian();
    }
    LowResolutionMap map = new LowResolutionMap(3, w);
    Path file = dir.resolve("m.lkmap");
    map.write(file);
    LowResolutionMap back = LowResolutionMap.read(file);
    assertThat(back.dimension()).isEqualTo(3);
    assertThat(back.weights()).containsExactly(w);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));
    assertThatThrownBy(() -> LowResolutionMap.read(file)).isInstanceOf(IOException.class).hasMessageContaining("bytes of weights");
    Files.writeString(file, "not a map at all");
    assertThatThrownBy(() -> LowResolutionMap.read(file)).isInstanceOf(IOException.class).hasMessageContaining("format 1");
  }

  private static LowResolutionMap identity(int d) {
    double[] w = new double[d * d];
    for (int i = 0; i < d; i++) {
      w[i * d + i] = 1;
    }
    return new LowResolutionMap(d, w);
  }
}
