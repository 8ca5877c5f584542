package org.likeness.engine.landmark;

import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.geom.Box;
import org.likeness.engine.geom.Point;
import org.likeness.engine.image.Resampler;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.model.InputSpec;
import org.likeness.engine.model.OnnxModel;

/**
 * 68-point landmark regressor run on the detector's box: the box is cropped (shifted inside the
 * image when it pokes out, as the model was trained), resized to the model input, and the output
 * (x, y in 0..1 of the box) is mapped back to image pixels.
 */
public final class LandmarkModel {
  private final OnnxModel model;

  public LandmarkModel(OnnxModel model) {
    this.model = model;
  }

  /** Landmarks of the face in {@code box}. */
  public Landmarks predict(RgbImage img, Box box) {
    Box crop = cropBox(box, img.width(), img.height());
    int x = (int) crop.x(), y = (int) crop.y();
    int w = Math.max(1, (int) crop.width()), h = Math.max(1, (int) crop.height());
    InputSpec in = model.input();
    RgbImage patch = Resampler.resize(img.crop(x, y, w, h), in.width(), in.height());
    float[] tensor = new float[in.size()];
    in.write(patch, 0, 0, tensor, 0);
    float[] out = model.run(tensor, 1, "output")[0];
    List<Point> pts = new ArrayList<>(68);
    for (int i = 0; i < 68; i++) {
      pts.add(new Point(x + out[2 * i] * w, y + out[2 * i + 1] * h));
    }
    return new Landmarks(pts);
  }

  /** The box moved (not shrunk) to lie inside the image, then clipped if it is larger than the image. */
  static Box cropBox(Box b, int iw, int ih) {
    double w = Math.min(b.width(), iw - 1), h = Math.min(b.height(), ih - 1);
    double x = Math.min(Math.max(0, b.x()), iw - 1 - w);
    double y = Math.min(Math.max(0, b.y()), ih - 1 - h);
    return new Box(Math.floor(x), Math.floor(y), Math.max(1, Math.floor(w)), Math.max(1, Math.floor(h)));
  }
}
