package org.likeness.eval.plot;

import static org.likeness.eval.plot.Chart.B;
import static org.likeness.eval.plot.Chart.H;
import static org.likeness.eval.plot.Chart.L;
import static org.likeness.eval.plot.Chart.R;
import static org.likeness.eval.plot.Chart.T;
import static org.likeness.eval.plot.Chart.W;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.likeness.eval.metrics.RocPoint;

/** Draws a ROC curve (TAR against FAR on a log axis, as verification reports show it) into a PNG. */
public final class RocPlot {
  private RocPlot() {}

  /** Writes the curve to {@code out}; {@code minFar} is the left end of the log axis. */
  public static void write(List<RocPoint> roc, String title, double minFar, Path out) throws IOException {
    double lo = Math.log10(minFar);
    Chart.write(title, "False accept rate (log scale)", "True accept rate", g -> {
      for (int e = (int) Math.ceil(lo); e <= 0; e++) {
        int x = x(e, lo);
        g.setColor(Chart.GRID);
        g.drawLine(x, T, x, H - B);
        g.setColor(Color.DARK_GRAY);
        g.drawString("1e" + e, x - 12, H - B + 18);
      }
    }, g -> {
      int px = -1, py = -1;
      for (RocPoint p : roc) {
        // A step curve: FAR of 0 sits on the left edge of the log axis.
        int x = x(Math.log10(Math.max(p.far(), minFar)), lo), y = Chart.y(p.tar());
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
    }, out);
  }

  private static int x(double log, double lo) {
    return L + (int) Math.round((log - lo) / (0 - lo) * (W - L - R));
  }
}
