package org.likeness.engine.verify;

import java.util.List;

/**
 * A recogniser's measured false-match rates: for each target rate, the lowest similarity at which
 * no more than that share of impostor pairs (two different people) scored at least as high,
 * measured on {@code impostorPairs} pairs described by {@code source}. Rates between table points
 * are interpolated on a log scale; a score beyond the last point reads as below its rate.
 *
 * @param points (rate, threshold) pairs, rates strictly falling from 1, thresholds rising
 */
public record FmrTable(List<Point> points, long impostorPairs, String source) {

  /** One calibration point: at similarity >= threshold, the measured false-match rate is rate. */
  public record Point(double rate, double threshold) {}

  public FmrTable {
    points = List.copyOf(points);
    if (points.size() < 2) {
      throw new IllegalArgumentException("a calibration needs at least two points");
    }
    for (int i = 1; i < points.size(); i++) {
      if (!(points.get(i).rate() < points.get(i - 1).rate()) || points.get(i).threshold() < points.get(i - 1).threshold()) {
        throw new IllegalArgumentException("calibration rates must fall and thresholds rise, at point " + i);
      }
    }
  }

  /** The smallest rate the data resolves. */
  public double minRate() {
    return points.getLast().rate();
  }

  /** The false-match rate at a similarity score. */
  public Fmr fmrAt(double score) {
    Point last = points.getLast();
    if (score >= last.threshold()) {
      return new Fmr(last.rate(), true);
    }
    if (score <= points.getFirst().threshold()) {
      return new Fmr(points.getFirst().rate(), false);
    }
    for (int i = 1; i < points.size(); i++) {
      Point lo = points.get(i - 1), hi = points.get(i);
      if (score < hi.threshold()) {
        double t = hi.threshold() == lo.threshold() ? 1 : (score - lo.threshold()) / (hi.threshold() - lo.threshold());
        return new Fmr(Math.pow(10, Math.log10(lo.rate()) + t * (Math.log10(hi.rate()) - Math.log10(lo.rate()))), false);
      }
    }
    return new Fmr(last.rate(), true);
  }

  /**
   * The false-match rate at a score, beyond the last measured point read on the straight line (in
   * log rate) of the last measured decade instead of as "below the last rate": what a rule for a
   * large gallery needs, which asks for rates no set of pairs measures. Inside the table, {@link #fmrAt}.
   */
  public double tailRateAt(double score) {
    Point last = points.getLast();
    if (score < last.threshold()) {
      return fmrAt(score).rate();
    }
    return Math.pow(10, Math.log10(last.rate()) - (score - last.threshold()) / tailScorePerDecade());
  }

  /** The threshold for {@code rate}, extrapolated below the last measured rate as {@link #tailRateAt} reads it. */
  public double tailThresholdFor(double rate) {
    if (rate >= minRate()) {
      return thresholdFor(Math.min(rate, points.getFirst().rate()));
    }
    return points.getLast().threshold() + (Math.log10(minRate()) - Math.log10(rate)) * tailScorePerDecade();
  }

  /** How much the threshold rises per decade of rate over the last measured decade (or the last step). */
  private double tailScorePerDecade() {
    Point last = points.getLast();
    for (int i = points.size() - 2; i >= 0; i--) {
      Point p = points.get(i);
      double decades = Math.log10(p.rate()) - Math.log10(last.rate());
      if (decades >= 1 || i == 0) {
        return Math.max(1e-6, (last.threshold() - p.threshold()) / decades);
      }
    }
    throw new IllegalStateException("unreachable: a table has two points");
  }

  /** The similarity threshold whose measured false-match rate is {@code rate}. */
  public double thresholdFor(double rate) {
    if (!(rate >= minRate() && rate <= points.getFirst().rate())) {
      throw new IllegalArgumentException("target FMR must be in [" + minRate() + ", " + points.getFirst().rate()
          + "] (what the calibration measured): " + rate);
    }
    for (int i = 1; i < points.size(); i++) {
      Point lo = points.get(i - 1), hi = points.get(i);
      if (rate >= hi.rate()) {
        double t = (Math.log10(rate) - Math.log10(lo.rate())) / (Math.log10(hi.rate()) - Math.log10(lo.rate()));
        return lo.threshold() + t * (hi.threshold() - lo.threshold());
      }
    }
    return points.getLast().threshold();
  }
}
