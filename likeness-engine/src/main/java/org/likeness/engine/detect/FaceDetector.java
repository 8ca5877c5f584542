package org.likeness.engine.detect;

import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.geom.Box;
import org.likeness.engine.image.Resampler;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.model.InputSpec;
import org.likeness.engine.model.OnnxModel;
import org.likeness.engine.model.Workers;

/**
 * UltraFace-style detector over a {@link TilePlan}: each tile is one run of the fixed-size model,
 * whose {@code scores} [N,2] and {@code boxes} [N,4] (corner form, 0..1 of the input) are mapped back
 * to image pixels and merged across tiles and levels by {@link Nms}.
 */
public final class FaceDetector {
  /** A box within this many detector pixels of an inner tile edge is a cut face; its whole twin is in the next tile. */
  private static final double EDGE_MARGIN = 2;
  /** Containment above which a box inside a stronger one is dropped. */
  private static final double CONTAINMENT = 0.7;

  private final OnnxModel model;
  private final Workers workers;

  public FaceDetector(OnnxModel model, Workers workers) {
    this.model = model;
    this.workers = workers;
  }

  /** Faces in {@code img}, best first, boxes in its pixel coordinates. */
  public List<Detection> detect(RgbImage img, DetectOptions opts) {
    InputSpec in = model.input();
    TilePlan plan = TilePlan.of(img.width(), img.height(), in.width(), in.height(), opts.minFaceSize());
    List<Detection> all = new ArrayList<>();
    RgbImage previous = img;
    for (TilePlan.Level level : plan.levels()) {
      // Levels go finest to coarsest, so each is reduced from the one before, not from full resolution.
      RgbImage source = previous.width() >= level.width() && previous.height() >= level.height() ? previous : img;
      RgbImage scaled = Resampler.resize(source, level.width(), level.height());
      previous = scaled;
      // Resampling rounds the level size; map back with the exact per-axis factors.
      double sx = (double) img.width() / level.width();
      double sy = (double) img.height() / level.height();
      for (List<Detection> found : workers.map(level.tiles(), tile -> {
        float[] tensor = new float[in.size()];
        in.write(scaled, tile[0], tile[1], tensor, 0);
        float[][] out = model.run(tensor, 1, "scores", "boxes");
        List<Detection> local = new ArrayList<>();
        decode(out[0], out[1], tile[0], tile[1], level, sx, sy, opts.scoreThreshold(), local);
        return local;
      })) {
        all.addAll(found);
      }
    }
    return Nms.suppress(all, opts.nmsIou(), CONTAINMENT, opts.maxFaces());
  }

  private void decode(float[] scores, float[] boxes, int tx, int ty, TilePlan.Level level, double sx, double sy,
      float threshold, List<Detection> out) {
    InputSpec in = model.input();
    int n = scores.length / 2;
    boolean interiorLeft = tx > 0, interiorTop = ty > 0;
    boolean interiorRight = tx + in.width() < level.width(), interiorBottom = ty + in.height() < level.height();
    for (int i = 0; i < n; i++) {
      float score = scores[2 * i + 1];
      if (score < threshold) {
        continue;
      }
      double x1 = boxes[4 * i] * in.width(), y1 = boxes[4 * i + 1] * in.height();
      double x2 = boxes[4 * i + 2] * in.width(), y2 = boxes[4 * i + 3] * in.height();
      if (x2 <= x1 || y2 <= y1 || x2 - x1 > level.maxFace()) {
        continue;
      }
      if ((interiorLeft && x1 < EDGE_MARGIN) || (interiorTop && y1 < EDGE_MARGIN)
          || (interiorRight && x2 > in.width() - EDGE_MARGIN) || (interiorBottom && y2 > in.height() - EDGE_MARGIN)) {
        continue;
      }
      // Tile -> level -> image pixels, clipped to the image (the letterbox pad is not image).
      double ix1 = (x1 + tx) * sx, iy1 = (y1 + ty) * sy, ix2 = (x2 + tx) * sx, iy2 = (y2 + ty) * sy;
      double w = level.width() * sx, h = level.height() * sy;
      Box b = Box.ofCorners(ix1, iy1, ix2, iy2).clip(w, h);
      if (b.width() >= 2 && b.height() >= 2) {
        out.add(new Detection(b, score));
      }
    }
  }
}
