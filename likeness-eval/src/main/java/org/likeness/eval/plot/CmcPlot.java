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

/** Draws a cumulative match characteristic (identification rate by rank) into a PNG. */
public final class CmcPlot {
  private static final int W = 800, H = 600, L = 80, R = 30, T = 50, B = 70;

  private CmcPlot() {}

  /** {@code rates[k-1]} is the rate within rank k. */
  public static void write(double[] rates, String title, Path out) throws IOException {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, W, H);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      int n = rates.length;
      for (int i = 0; i <= 10; i++) {
        int y = fy(i / 10.0);
        g.setColor(new Color(225, 225, 225));
        g.drawLine(L, y, W - R, y);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, "%.1f", i / 10.0), L - 30, y + 5);
      }
      for (int k = 1; k <= n; k++) {
        g.drawString(Integer.toString(k), fx(k, n) - 4, H - B + 18);
      }
      g.setColor(Color.BLACK);
      g.drawRect(L, T, W - L - R, H - T - B);
      g.drawString("Rank", W / 2 - 15, H - 25);
      g.drawString("Identification rate", 10, T - 6);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString(title, L, 22);
      g.setColor(new Color(20, 90, 200));
      g.setStroke(new BasicStroke(2.2f));
      for (int k = 1; k <= n; k++) {
        int x = fx(k, n), y = fy(rates[k - 1]);
        g.fillOval(x - 4, y - 4, 8, 8);
        if (k > 1) {
          g.drawLine(fx(k - 1, n), fy(rates[k - 2]), x, y);
        }
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", out.toFile());
  }

  private static int fx(int k, int n) {
    return n <= 1 ? (L + W - R) / 2 : L + 20 + (int) Math.round((k - 1) * (W - L - R - 40) / (double) (n - 1));
  }

  private static int fy(double rate) {
    return H - B - (int) Math.round(rate * (H - T - B));
  }
}
