package org.likeness.engine.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.engine.geom.Box;

class TilePlanTest {

  @Test
  void smallImageIsOneTile() {
    TilePlan p = TilePlan.of(640, 480, 320, 240, 40);
    assertThat(p.levels()).hasSize(1);
    assertThat(p.tileCount()).isEqualTo(1);
  }

  @Test
  void largeImageGetsFinerLevelsReachingTheMinimumFace() {
    TilePlan p = TilePlan.of(4000, 3000, 320, 240, 40);
    assertThat(p.levels().size()).isGreaterThan(1);
    assertThat(p.levels().get(0).scale() * 40).isGreaterThanOrEqualTo(TilePlan.SMALLEST_RELIABLE_FACE - 1e-9);
    assertThat(p.levels().get(p.levels().size() - 1).tiles()).hasSize(1);
  }

  /** Every face between the minimum size and the whole image is wholly inside some tile of a level that keeps its size. */
  @Test
  void everyFaceFitsWhollyInATileOfSomeLevel() {
    Random rnd = new Random(1234);
    for (int trial = 0; trial < 2000; trial++) {
      int w = 200 + rnd.nextInt(6000), h = 200 + rnd.nextInt(5000);
      double minFace = 20 + rnd.nextInt(80);
      TilePlan plan = TilePlan.of(w, h, 320, 240, minFace);
      double size = minFace + rnd.nextDouble() * (Math.min(w, h) - minFace);
      Box face = new Box(rnd.nextDouble() * (w - size), rnd.nextDouble() * (h - size), size, size);
      assertThat(coveredWithReliableSize(plan, face, w, h)).as("face %s in %dx%d min %s", face, w, h, minFace).isTrue();
    }
  }

  private static boolean coveredWithReliableSize(TilePlan plan, Box face, int w, int h) {
    for (TilePlan.Level l : plan.levels()) {
      double sx = (double) l.width() / w, sy = (double) l.height() / h;
      double fw = face.width() * sx;
      if (fw > l.maxFace() || fw < TilePlan.SMALLEST_RELIABLE_FACE - 1e-6 && l != plan.levels().get(plan.levels().size() - 1)) {
        continue;
      }
      for (int[] t : l.tiles()) {
        if (face.x() * sx >= t[0] && face.y() * sy >= t[1] && face.right() * sx <= t[0] + 320 && face.bottom() * sy <= t[1] + 240) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void positionsCoverTheLengthWithOverlap() {
    for (int len = 1; len < 3000; len += 7) {
      int[] p = TilePlan.positions(len, 320);
      assertThat(p[0]).isZero();
      assertThat(p[p.length - 1] + 320).isGreaterThanOrEqualTo(Math.min(len, 320) == len ? len : len);
      for (int i = 1; i < p.length; i++) {
        assertThat(p[i - 1] + 320 - p[i]).as("overlap at %d", len).isGreaterThanOrEqualTo(TilePlan.OVERLAP);
      }
    }
  }

  @Test
  void nmsKeepsBestAndDropsContainedPartials() {
    Detection whole = new Detection(new Box(100, 100, 50, 60), 0.99f);
    Detection shifted = new Detection(new Box(105, 102, 50, 60), 0.9f);
    Detection partial = new Detection(new Box(100, 100, 20, 30), 0.95f);
    Detection other = new Detection(new Box(300, 100, 50, 60), 0.8f);
    List<Detection> kept = Nms.suppress(List.of(shifted, partial, other, whole), 0.4, 0.7, 10);
    assertThat(kept).containsExactly(whole, other);
  }
}
