package org.likeness.eval.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.likeness.eval.metrics.RocPoint;

/** Draws a ROC curve (TAR against FAR on a log axis, as verification reports show it) into a PNG. */
public final class RocPlot {
  private static final int W = 800, H = 600, L = 80, R = 30, T = 50, B = 70;

  private RocPlot() {}

  /** Writes the curve to {@code out}; {@code minFar} is the left end of the log axis. */
  public static void write(List<RocPoint> roc, String title, double minFar, Path out) throws IOException {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, W, H);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      double lo = Math.log10(minFar);
      g.setColor(new Color(225, 225, 225));
      for (int e = (int) Math.ceil(lo); e <= 0; e++) {
        int x = fx(e, lo);
        g.drawLine(x, T, x, H - B);
        g.setColor(Color.DARK_GRAY);
        g.drawString("1e" + e, x - 12, H - B + 18);
        g.setColor(new Color(225, 225, 225));
      }
      for (int i = 0; i <= 10; i++) {
        int y = fy(i / 10.0);
        g.drawLine(L, y, W - R, y);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, "%.1f", i / 10.0), L - 30, y + 5);
        g.setColor(new Color(225, 225, 225));
      }
      g.setColor(Color.BLACK);
      g.drawRect(L, T, W - L - R, H - T - B);
      g.drawString("False accept rate (log scale)", W / 2 - 90, H - 25);
      g.drawString("True accept rate", 10, T - 6);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString(title, L, 22);
      g.setColor(new Color(20, 90, 200));
      g.setStroke(new BasicStroke(2.2f));
      int px = -1, py = -1;
      for (RocPoint p : roc) {
        // A step curve: FAR of 0 sits on the left edge of the log axis.
        double far = Math.max(p.far(), minFar);
        int x = fx(Math.log10(far), lo), y = fy(p.tar());
        if (px >= 0) {
          g.drawLine(px, py, x, py);
          g.drawLine(x, py, x, y);
        }
        px = x;
        py = y;
      }
      if (px >= 0) {
        g.drawLine(px, py, W - R, py);
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", out.toFile());
  }

  private static int fx(double log, double lo) {
    return L + (int) Math.round((log - lo) / (0 - lo) * (W - L - R));
  }

  private static int fy(double tar) {
    return H - B - (int) Math.round(tar * (H - T - B));
  }
}
