package org.likeness.engine.verify;

/**
 * A recogniser's impostor score distribution (similarities of different people), modelled as a
 * normal fitted to measured impostor pairs: turns a score into an estimated false-match rate and
 * a target false-match rate into a threshold. {@code pairs} says how much data the fit rests on.
 */
public record ImpostorModel(double mean, double std, int pairs, String source) {
  /**
   * Smallest rate reported. Far in the tail the normal fit is extrapolation, not measurement:
   * scores beyond it are reported at this floor rather than as 1e-16.
   */
  public static final double MIN_FMR = 1e-6;

  public ImpostorModel {
    if (!(std > 0)) {
      throw new IllegalArgumentException("impostor std must be positive");
    }
  }

  /** Estimated probability that an impostor pair scores at least {@code score}, floored at {@link #MIN_FMR}. */
  public double fmrAt(double score) {
    return Math.max(MIN_FMR, tail(score));
  }

  private double tail(double score) {
    return 0.5 * erfc((score - mean) / (std * Math.sqrt(2)));
  }

  /** The score whose estimated false-match rate is {@code fmr}. */
  public double thresholdFor(double fmr) {
    if (!(fmr >= MIN_FMR && fmr < 1)) {
      throw new IllegalArgumentException("target FMR must be in [" + MIN_FMR + ", 1): " + fmr);
    }
    // fmrAt is strictly decreasing: bisect.
    double lo = mean - 20 * std, hi = mean + 20 * std;
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      if (tail(mid) > fmr) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** Complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
