package org.likeness.eval.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.lucene.util.VectorUtil;
import org.likeness.engine.verify.FmrTable;

/**
 * Scores every pair of an {@link EmbeddedSet} (about 87 million for LFW's 13,233 photos) into
 * histograms of impostor (different identities) and genuine (same identity) similarities, at
 * 1e-4 resolution, and reads the measured false-match rate table off the impostor histogram: for
 * each target rate, the lowest similarity at which no more than that share of impostor pairs
 * scored at least as high. Pairs a {@link SamePersonList} declares one person (labelling errors of
 * the set) are counted apart and scored as neither.
 */
public final class ImpostorCalibration {
  /** Histogram bins over similarity [-1, 1]. */
  static final int BINS = 20_001;
  /** Target rates: four per decade from 1 down to 1e-6. */
  public static final int STEPS_PER_DECADE = 4, DECADES = 6;

  private final long[] impostor = new long[BINS];
  private final long[] genuine = new long[BINS];
  private long impostorPairs, genuinePairs, samePersonPairs;

  /** An empty histogram, for scores counted one by one ({@link #impostor}). */
  public ImpostorCalibration() {}

  /** Counts one impostor pair's similarity. */
  public void impostor(double similarity) {
    impostor[bin(similarity)]++;
    impostorPairs++;
  }

  /** Adds another histogram's counts to this one. */
  public void add(ImpostorCalibration o) {
    for (int b = 0; b < BINS; b++) {
      impostor[b] += o.impostor[b];
      genuine[b] += o.genuine[b];
    }
    impostorPairs += o.impostorPairs;
    genuinePairs += o.genuinePairs;
    samePersonPairs += o.samePersonPairs;
  }

  /** Scores every pair of the set on the common pool. */
  public static ImpostorCalibration of(EmbeddedSet set) {
    return of(set, SamePersonList.none().pairsIn(set));
  }

  /** Scores every pair of the set on the common pool, leaving out the pairs {@code samePerson} holds. */
  public static ImpostorCalibration of(EmbeddedSet set, SamePersonList.Pairs samePerson) {
    float[][] e = set.embeddings();
    int[] id = set.identity();
    ImpostorCalibration total = new ImpostorCalibration();
    IntStream.range(0, e.length).parallel().mapToObj(i -> {
      ImpostorCalibration part = new ImpostorCalibration();
      for (int j = i + 1; j < e.length; j++) {
        float s = VectorUtil.dotProduct(e[i], e[j]);
        if (id[i] != id[j] && samePerson.contains(i, j)) {
          part.samePersonPairs++;
        } else if (id[i] == id[j]) {
          part.genuine[bin(s)]++;
          part.genuinePairs++;
        } else {
          part.impostor[bin(s)]++;
          part.impostorPairs++;
        }
      }
      return part;
    }).forEach(part -> {
      synchronized (total) {
        total.add(part);
      }
    });
    return total;
  }

  static int bin(double s) {
    return (int) Math.max(0, Math.min(BINS - 1, Math.floor((s + 1) * 10_000)));
  }

  /** The lower edge of a bin: every score in bin b is at least this. */
  static double edge(int b) {
    return b / 10_000.0 - 1;
  }

  public long impostorPairs() {
    return impostorPairs;
  }

  public long genuinePairs() {
    return genuinePairs;
  }

  /** Cross-identity pairs left out because the same-person list declares them one person. */
  public long samePersonPairs() {
    return samePersonPairs;
  }

  /** The measured table at four rates per decade, 1 to 1e-6. */
  public FmrTable table(String source) {
    long[] above = tail(impostor);
    List<FmrTable.Point> points = new ArrayList<>();
    for (int k = 0; k <= STEPS_PER_DECADE * DECADES; k++) {
      double rate = Math.pow(10, -k / (double) STEPS_PER_DECADE);
      int b = 0;
      while (b < BINS - 1 && above[b] > rate * impostorPairs) {
        b++;
      }
      points.add(new FmrTable.Point(rate, edge(b)));
    }
    return new FmrTable(points, impostorPairs, source);
  }

  /** Measured share of impostor pairs scoring at least {@code threshold}. */
  public double fmrAt(double threshold) {
    return tail(impostor)[bin(threshold)] / (double) impostorPairs;
  }

  /** Share of genuine pairs scoring at least {@code threshold} (true-accept rate). */
  public double tarAt(double threshold) {
    return tail(genuine)[bin(threshold)] / (double) genuinePairs;
  }

  /** The highest impostor similarity measured. */
  public double maxImpostor() {
    for (int b = BINS - 1; b >= 0; b--) {
      if (impostor[b] > 0) {
        return edge(b);
      }
    }
    return -1;
  }

  private static long[] tail(long[] h) {
    long[] t = new long[BINS + 1];
    for (int b = BINS - 1; b >= 0; b--) {
      t[b] = t[b + 1] + h[b];
    }
    return t;
  }
}
