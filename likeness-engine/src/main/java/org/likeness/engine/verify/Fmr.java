package org.likeness.engine.verify;

import java.util.Locale;

/**
 * A false-match rate read from a measured calibration: how often two different people score at
 * least this high in one comparison. {@code below} marks a score beyond anything the calibration
 * data resolves: the rate is then only known to be under {@code rate}, and is shown as
 * {@code "<1e-6"}, never as a figure nothing measured.
 */
public record Fmr(double rate, boolean below) {

  /** The JSON form: a number to 3 significant digits, or a string such as {@code "<1e-6"} for a bound. */
  public Object json() {
    if (below) {
      return "<" + String.format(Locale.ROOT, "%.0e", rate).replace("e-0", "e-");
    }
    return Double.valueOf(String.format(Locale.ROOT, "%.3g", rate));
  }

  @Override
  public String toString() {
    return below ? json().toString() : String.format(Locale.ROOT, "%.1e", rate);
  }
}
