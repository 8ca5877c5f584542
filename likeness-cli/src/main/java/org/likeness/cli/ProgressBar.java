package org.likeness.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr: a redrawn bar on a terminal, a line every 10% otherwise (so logs stay readable).
 */
final class ProgressBar {
  private final PrintWriter err;
  private final String label;
  private final int total;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private int lastDecile = -1;

  ProgressBar(PrintWriter err, String label, int total, boolean terminal) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.terminal = terminal;
  }

  void update(int done) {
    double secs = (System.nanoTime() - start) / 1e9;
    double rate = secs > 0.05 ? done / secs : 0; // no rate from the first instant: it would be meaningless
    double eta = rate > 0 ? (total - done) / rate : 0;
    if (terminal) {
      int width = 30, filled = total == 0 ? width : (int) ((long) done * width / total);
      err.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %.1f/s ETA %.0fs ", label, "=".repeat(filled), " ".repeat(width - filled),
          done, total, rate, eta);
      if (done >= total) {
        err.println();
      }
      err.flush();
    } else {
      int decile = total == 0 ? 10 : (int) ((long) done * 10 / total);
      if (decile != lastDecile) {
        lastDecile = decile;
        err.printf(Locale.ROOT, "%s %d/%d (%.1f/s)%n", label, done, total, rate);
        err.flush();
      }
    }
  }
}
