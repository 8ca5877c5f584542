package org.likeness.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.likeness.engine.Face;
import org.likeness.engine.geom.Point;
import org.likeness.engine.image.RgbImage;

/** Draws boxes, scores and landmarks over an image and writes it as PNG, for human review. */
final class Annotator {
  private Annotator() {}

  static void write(RgbImage img, List<Face> faces, Path out) throws IOException {
    BufferedImage bi = org.likeness.engine.image.ImageEncoder.toBufferedImage(img);
    Graphics2D g = bi.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      float stroke = Math.max(2f, img.width() / 400f);
      g.setStroke(new BasicStroke(stroke));
      for (Face f : faces) {
        g.setColor(f.quality().passed() ? new Color(0, 200, 0) : new Color(255, 160, 0));
        g.drawRect((int) f.box().x(), (int) f.box().y(), (int) f.box().width(), (int) f.box().height());
        g.drawString(String.format(Locale.ROOT, "%.2f", f.score()), (int) f.box().x(), (int) f.box().y() - 4);
        g.setColor(Color.RED);
        int r = Math.max(2, (int) (f.box().width() / 40));
        for (Point pt : f.fivePoints()) {
          g.fillOval((int) pt.x() - r, (int) pt.y() - r, 2 * r, 2 * r);
        }
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(bi, "png", out.toFile());
  }
}
