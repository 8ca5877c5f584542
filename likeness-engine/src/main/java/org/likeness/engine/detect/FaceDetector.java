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
 * A fixed-input detector over a {@link TilePlan}: each tile is one run of the model, whose outputs
 * its architecture's {@link DetectorHead} turns into boxes (UltraFace, YuNet), mapped back to image
 * pixels and merged across tiles and levels by {@link Nms}.
 */
public final class FaceDetector {
  /** A box within this many detector pixels of an inner tile edge is a cut face; its whole twin is in the next tile. */
  private static final double EDGE_MARGIN = 2;
  /** Containment above which a box inside a stronger one is dropped. */
  private static final double CONTAINMENT = 0.7;

  private final OnnxModel model;
  private final Workers workers;
  private final DetectorHead head;

  /** An UltraFace detector. */
  public FaceDetector(OnnxModel model, Workers workers) {
    this(model, workers, "ultraface");
  }

  /** A detector of the given architecture ({@code ultraface}, {@code yunet}). */
  public FaceDetector(OnnxModel model, Workers workers, String architecture) {
    this.model = model;
    this.workers = workers;
    this.head = DetectorHead.of(architecture);
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
        float[][] out = model.run(tensor, 1, head.outputs());
        List<float[]> boxes = new ArrayList<>();
        head.decode(out, in.width(), in.height(), opts.scoreThreshold(), boxes);
        List<Detection> local = new ArrayList<>();
        place(boxes, tile[0], tile[1], level, sx, sy, local);
        return local;
      })) {
        all.addAll(found);
      }
    }
    return Nms.suppress(all, opts.nmsIou(), CONTAINMENT, opts.maxFaces());
  }

  /** Tile boxes to image detections: cut faces at inner tile edges dropped, the rest mapped and clipped. */
  private void place(List<float[]> boxes, int tx, int ty, TilePlan.Level level, double sx, double sy, List<Detection> out) {
    InputSpec in = model.input();
    boolean interiorLeft = tx > 0, interiorTop = ty > 0;
    boolean interiorRight = tx + in.width() < level.width(), interiorBottom = ty + in.height() < level.height();
    for (float[] bx : boxes) {
      double x1 = bx[0], y1 = bx[1], x2 = bx[2], y2 = bx[3];
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
        out.add(new Detection(b, bx[4]));
      }
    }
  }
}
