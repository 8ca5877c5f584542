package org.likeness.eval.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The frame every evaluation plot shares: an 800x600 PNG with a 0..1 rate on the y axis, its grid,
 * the axis titles and a title. A plot supplies its x axis and its curve.
 */
final class Chart {
  static final int W = 800, H = 600, L = 80, R = 30, T = 50, B = 70;
  static final Color GRID = new Color(225, 225, 225);

  private Chart() {}

  /** Draws on the chart; the graphics' colour and stroke are the painter's to set. */
  @FunctionalInterface
  interface Painter {
    void paint(Graphics2D g);
  }

  /** Renders the frame, then {@code xAxis} (grid lines and tick labels), then {@code curve}, and writes a PNG. */
  static void write(String title, String xTitle, String yTitle, Painter xAxis, Painter curve, Path out) throws IOException {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, W, H);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      for (int i = 0; i <= 10; i++) {
        int y = y(i / 10.0);
        g.setColor(GRID);
        g.drawLine(L, y, W - R, y);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, "%.1f", i / 10.0), L - 30, y + 5);
      }
      xAxis.paint(g);
      g.setColor(Color.BLACK);
      g.drawRect(L, T, W - L - R, H - T - B);
      g.drawString(xTitle, (L + W - R - g.getFontMetrics().stringWidth(xTitle)) / 2, H - 25);
      g.drawString(yTitle, 10, T - 6);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString(title, L, 22);
      g.setColor(new Color(20, 90, 200));
      g.setStroke(new BasicStroke(2.2f));
      curve.paint(g);
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", out.toFile());
  }

  /** The y pixel of a rate in 0..1. */
  static int y(double rate) {
    return H - B - (int) Math.round(rate * (H - T - B));
  }
}
