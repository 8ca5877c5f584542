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
 * A second detector that re-examines the first one's candidates, so that a face-like object (a cat,
 * a pattern, a painted face) one network scores high is kept only if a network of another
 * architecture and training set also sees a face there. Each candidate becomes a {@value #CELL} px
 * window twice its size around it, so the face fills half the window whatever its size in the photo;
 * the windows are laid out side by side in the confirming model's square input (one to a 160 px
 * input, 16 to a 640 px one), the runs shared out among the workers. A candidate is kept when the
 * confirming detector finds, in its window, a face scoring at least the threshold whose centre lies
 * inside the candidate's box.
 */
public final class FaceConfirmer {
  /** Side of one candidate's window in the confirming model's input. */
  static final int CELL = 160;

  private final OnnxModel model;
  private final Workers workers;
  private final DetectorHead head;
  private final float threshold;
  private final int perRow;

  /** A confirmer running {@code model} (a detector of {@code architecture}) with its score threshold. */
  public FaceConfirmer(OnnxModel model, Workers workers, String architecture, float threshold) {
    InputSpec in = model.input();
    if (in.width() != in.height() || in.width() < CELL) {
      throw new IllegalArgumentException("a confirming detector needs a square input of at least " + CELL + " px, got "
          + in.width() + "x" + in.height());
    }
    this.model = model;
    this.workers = workers;
    this.head = DetectorHead.of(architecture);
    this.threshold = threshold;
    this.perRow = in.width() / CELL;
  }

  /** The candidates the confirming detector also sees, in their order. */
  public List<Detection> confirm(RgbImage img, List<Detection> candidates) {
    int perRun = perRow * perRow;
    List<List<Detection>> chunks = new ArrayList<>();
    for (int from = 0; from < candidates.size(); from += perRun) {
      chunks.add(candidates.subList(from, Math.min(candidates.size(), from + perRun)));
    }
    List<boolean[]> seen = workers.map(chunks, chunk -> seen(img, chunk));
    List<Detection> kept = new ArrayList<>();
    for (int c = 0; c < chunks.size(); c++) {
      for (int i = 0; i < chunks.get(c).size(); i++) {
        if (seen.get(c)[i]) {
          kept.add(chunks.get(c).get(i));
        }
      }
    }
    return kept;
  }

  /** One run of the confirming model over the windows of up to {@code perRow^2} candidates. */
  private boolean[] seen(RgbImage img, List<Detection> chunk) {
    InputSpec in = model.input();
    RgbImage mosaic = RgbImage.blank(in.width(), in.height());
    Box[] expected = new Box[chunk.size()];
    for (int i = 0; i < chunk.size(); i++) {
      expected[i] = paste(img, chunk.get(i).box(), mosaic, (i % perRow) * CELL, (i / perRow) * CELL);
    }
    float[] tensor = new float[in.size()];
    in.write(mosaic, 0, 0, tensor, 0);
    List<float[]> boxes = new ArrayList<>();
    head.decode(model.run(tensor, 1, head.outputs()), in.width(), in.height(), threshold, boxes);
    boolean[] seen = new boolean[chunk.size()];
    for (float[] b : boxes) {
      double cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
      for (int i = 0; i < expected.length; i++) {
        Box e = expected[i];
        seen[i] |= cx >= e.x() && cx <= e.x() + e.width() && cy >= e.y() && cy <= e.y() + e.height();
      }
    }
    return seen;
  }

  /**
   * Draws the window around {@code box} (a square twice its longer side; black beyond the image) into
   * the cell at ({@code cellX}, {@code cellY}) of {@code mosaic}; returns where the box lands there.
   */
  static Box paste(RgbImage img, Box box, RgbImage mosaic, int cellX, int cellY) {
    double side = 2 * Math.max(box.width(), box.height());
    double x0 = box.x() + box.width() / 2 - side / 2, y0 = box.y() + box.height() / 2 - side / 2;
    double scale = CELL / side;
    int ix0 = (int) Math.max(0, Math.floor(x0)), iy0 = (int) Math.max(0, Math.floor(y0));
    int ix1 = (int) Math.min(img.width(), Math.ceil(x0 + side)), iy1 = (int) Math.min(img.height(), Math.ceil(y0 + side));
    if (ix1 > ix0 && iy1 > iy0) {
      int pw = Math.max(1, (int) Math.round((ix1 - ix0) * scale)), ph = Math.max(1, (int) Math.round((iy1 - iy0) * scale));
      RgbImage part = Resampler.resize(img.crop(ix0, iy0, ix1 - ix0, iy1 - iy0), pw, ph);
      int ox = (int) Math.round((ix0 - x0) * scale), oy = (int) Math.round((iy0 - y0) * scale);
      byte[] src = part.pixels(), dst = mosaic.pixels();
      for (int y = 0; y < ph; y++) {
        int my = oy + y;
        if (my < 0 || my >= CELL) {
          continue;
        }
        for (int x = 0; x < pw; x++) {
          int mx = ox + x;
          if (mx < 0 || mx >= CELL) {
            continue;
          }
          int s = (y * pw + x) * 3, d = ((cellY + my) * mosaic.width() + cellX + mx) * 3;
          dst[d] = src[s];
          dst[d + 1] = src[s + 1];
          dst[d + 2] = src[s + 2];
        }
      }
    }
    return new Box(cellX + (box.x() - x0) * scale, cellY + (box.y() - y0) * scale, box.width() * scale, box.height() * scale);
  }
}
