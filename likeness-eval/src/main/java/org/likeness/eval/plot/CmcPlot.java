package org.likeness.eval.plot;

import static org.likeness.eval.plot.Chart.B;
import static org.likeness.eval.plot.Chart.H;
import static org.likeness.eval.plot.Chart.L;
import static org.likeness.eval.plot.Chart.R;
import static org.likeness.eval.plot.Chart.W;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;

/** Draws a cumulative match characteristic (identification rate by rank) into a PNG. */
public final class CmcPlot {
  private CmcPlot() {}

  /** {@code rates[k-1]} is the rate within rank k. */
  public static void write(double[] rates, String title, Path out) throws IOException {
    int n = rates.length;
    Chart.write(title, "Rank", "Identification rate", g -> {
      g.setColor(Color.DARK_GRAY);
      for (int k = 1; k <= n; k++) {
        g.drawString(Integer.toString(k), x(k, n) - 4, H - B + 18);
      }
    }, g -> {
      for (int k = 1; k <= n; k++) {
        int x = x(k, n), y = Chart.y(rates[k - 1]);
        g.fillOval(x - 4, y - 4, 8, 8);
        if (k > 1) {
          g.drawLine(x(k - 1, n), Chart.y(rates[k - 2]), x, y);
        }
      }
    }, out);
  }

  private static int x(int k, int n) {
    return n <= 1 ? (L + W - R) / 2 : L + 20 + (int) Math.round((k - 1) * (W - L - R - 40) / (double) (n - 1));
  }
}
