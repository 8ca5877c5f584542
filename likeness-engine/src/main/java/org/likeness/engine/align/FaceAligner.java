package org.likeness.engine.align;

import java.util.List;
import org.likeness.engine.geom.Point;
import org.likeness.engine.image.RgbImage;

/**
 * Warps a face so its 5 landmarks land on the recogniser's template (bilinear sampling; beyond the
 * image the border pixels are replicated, as OpenCV's {@code BORDER_REPLICATE}, so a face at the
 * edge of the frame or in a tight crop is not framed in black the recogniser never saw).
 */
public final class FaceAligner {
  /** The standard ArcFace 112x112 5-point template (InsightFace). */
  public static final List<Point> ARCFACE_112 = List.of(
      new Point(38.2946, 51.6963), new Point(73.5318, 51.5014), new Point(56.0252, 71.7366),
      new Point(41.5493, 92.3655), new Point(70.7299, 92.2041));

  /**
   * dlib's face chip (150 px, padding 0.25, as {@code get_face_chip_details}) at the same five
   * points: the eye centres, nose tip and mouth corners of dlib's mean 68-point face, computed as
   * {@link org.likeness.engine.landmark.Landmarks#fivePoints()} derives them.
   */
  public static final List<Point> DLIB_150 = List.of(
      new Point(47.4152, 46.1947), new Point(100.6101, 46.1947), new Point(74.0127, 76.5625),
      new Point(52.2264, 103.2512), new Point(95.7989, 103.2512));

  /**
   * The face's own region in ArcFace 112 template pixels: the box of eyes and mouth corners widened
   * by half an inter-ocular distance (35.2 px) to the sides (cheek to cheek), 0.4 of it upwards (the
   * brows) and 0.3 downwards (below the lips). What of this region lies outside the image, not of
   * the whole crop with its margin, says whether a face is cut by the frame.
   */
  static final double REGION_X0 = 20.7, REGION_X1 = 91.1, REGION_Y0 = 37.5, REGION_Y1 = 102.9;

  private final List<Point> template;
  private final int size;

  public FaceAligner(List<Point> template, int size) {
    this.template = List.copyOf(template);
    this.size = size;
  }

  /** The template for a pack's template name. */
  public static FaceAligner forTemplate(String name) {
    return switch (name) {
      case "arcface-112" -> new FaceAligner(ARCFACE_112, 112);
      case "dlib-150" -> new FaceAligner(DLIB_150, 150);
      default -> throw new IllegalArgumentException("unsupported template " + name);
    };
  }

  /** The transform from image pixels to template pixels for these 5 landmarks. */
  public SimilarityTransform transform(List<Point> fivePoints) {
    return SimilarityTransform.estimate(fivePoints, template);
  }

  /** The aligned {@code size x size} crop. */
  public RgbImage align(RgbImage img, List<Point> fivePoints) {
    SimilarityTransform inv = transform(fivePoints).inverse();
    int w = img.width(), h = img.height();
    byte[] s = img.pixels();
    byte[] d = new byte[size * size * 3];
    for (int v = 0; v < size; v++) {
      for (int u = 0; u < size; u++) {
        double sx = inv.a() * u - inv.b() * v + inv.tx();
        double sy = inv.b() * u + inv.a() * v + inv.ty();
        int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
        double fx = sx - x0, fy = sy - y0;
        int o = (v * size + u) * 3;
        for (int c = 0; c < 3; c++) {
          double p00 = sample(s, w, h, x0, y0, c), p10 = sample(s, w, h, x0 + 1, y0, c);
          double p01 = sample(s, w, h, x0, y0 + 1, c), p11 = sample(s, w, h, x0 + 1, y0 + 1, c);
          double top = p00 + (p10 - p00) * fx, bot = p01 + (p11 - p01) * fx;
          d[o + c] = (byte) Math.round(top + (bot - top) * fy);
        }
      }
    }
    return new RgbImage(size, size, d);
  }

  /**
   * Fraction of the face's own region (eyes, nose and mouth with a small margin; see
   * {@link #REGION_X0}) that falls outside a {@code width x height} image: near 0 for a tight crop
   * of a whole face, large for a face the frame really cuts.
   */
  public double outsideFraction(int width, int height, List<Point> fivePoints) {
    SimilarityTransform inv = transform(fivePoints).inverse();
    double scale = size / 112.0;
    int outside = 0, n = 0;
    for (double v = REGION_Y0 * scale; v <= REGION_Y1 * scale; v += 1) {
      for (double u = REGION_X0 * scale; u <= REGION_X1 * scale; u += 1) {
        double sx = inv.a() * u - inv.b() * v + inv.tx();
        double sy = inv.b() * u + inv.a() * v + inv.ty();
        if (sx < 0 || sy < 0 || sx > width - 1 || sy > height - 1) {
          outside++;
        }
        n++;
      }
    }
    return (double) outside / n;
  }

  /** The pixel at (x, y), the nearest border pixel when (x, y) lies outside the image. */
  private static int sample(byte[] s, int w, int h, int x, int y, int c) {
    int cx = Math.min(w - 1, Math.max(0, x)), cy = Math.min(h - 1, Math.max(0, y));
    return s[(cy * w + cx) * 3 + c] & 0xff;
  }
}
