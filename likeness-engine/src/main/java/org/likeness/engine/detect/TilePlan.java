package org.likeness.engine.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the fixed-size detector looks in a large image: a pyramid of scales, each covered by
 * overlapping tiles of the detector's input size. The coarsest level shows the whole image in one
 * tile (for large faces); finer levels enlarge small faces until {@code minFaceSize} maps to
 * {@link #SMALLEST_RELIABLE_FACE} detector pixels. A face near a tile's inner edge is cut and is
 * found whole in the neighbouring tile, because tiles overlap by {@link #OVERLAP} pixels and finer
 * levels keep only faces no larger than that overlap.
 */
public record TilePlan(List<Level> levels) {
  /** Face width in detector pixels the detector finds reliably (its smallest anchors are 10-24 px). */
  public static final double SMALLEST_RELIABLE_FACE = 16;
  /** Tile overlap in detector pixels; also the largest face a non-coarsest level keeps. */
  public static final int OVERLAP = 80;
  /** Scale ratio between neighbouring levels: a face at the overlap limit is still >= 26 px one level up. */
  public static final double LEVEL_RATIO = 3;

  /**
   * One pyramid level.
   *
   * @param scale level pixels per image pixel
   * @param width level width in pixels
   * @param height level height in pixels
   * @param tiles top-left corners of its tiles, in level pixels
   * @param maxFace largest face width kept at this level, in level pixels (infinite at the coarsest)
   */
  public record Level(double scale, int width, int height, List<int[]> tiles, double maxFace) {}

  /** The plan for an image of {@code w x h} and a detector input of {@code inW x inH}. */
  public static TilePlan of(int w, int h, int inW, int inH, double minFaceSize) {
    double whole = Math.min((double) inW / w, (double) inH / h);
    double finest = SMALLEST_RELIABLE_FACE / minFaceSize;
    List<Double> scales = new ArrayList<>();
    for (double s = finest; s > whole * 1.5; s /= LEVEL_RATIO) {
      scales.add(s);
    }
    List<Level> levels = new ArrayList<>();
    for (double s : scales) {
      int lw = Math.max(1, (int) Math.round(w * s)), lh = Math.max(1, (int) Math.round(h * s));
      List<int[]> tiles = new ArrayList<>();
      for (int y : positions(lh, inH)) {
        for (int x : positions(lw, inW)) {
          tiles.add(new int[] {x, y});
        }
      }
      levels.add(new Level(s, lw, lh, tiles, OVERLAP));
    }
    int lw = Math.max(1, (int) Math.round(w * whole)), lh = Math.max(1, (int) Math.round(h * whole));
    levels.add(new Level(whole, lw, lh, List.of(new int[] {0, 0}), Double.POSITIVE_INFINITY));
    return new TilePlan(List.copyOf(levels));
  }

  /** Evenly spread tile starts covering {@code [0, length)} with windows of {@code tile} and at least {@link #OVERLAP} overlap. */
  static int[] positions(int length, int tile) {
    if (length <= tile) {
      return new int[] {0};
    }
    int stride = tile - OVERLAP;
    int n = (int) Math.ceil((double) (length - tile) / stride) + 1;
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = (int) Math.round((double) i * (length - tile) / (n - 1));
    }
    return p;
  }

  /** Total detector runs. */
  public int tileCount() {
    return levels.stream().mapToInt(l -> l.tiles().size()).sum();
  }
}
