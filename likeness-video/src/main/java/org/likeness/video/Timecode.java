package org.likeness.video;

import java.util.Locale;

/** A time in footage as people read it: {@code 00:01:23.4} (hours, minutes, seconds and tenths). */
public final class Timecode {
  private Timecode() {}

  /** {@code seconds} as {@code HH:MM:SS.t}, rounded to the tenth; negative times are clamped to zero. */
  public static String of(double seconds) {
    long tenths = Math.round(Math.max(0, seconds) * 10);
    long h = tenths / 36000;
    long m = tenths / 600 % 60;
    long s = tenths / 10 % 60;
    return String.format(Locale.ROOT, "%02d:%02d:%02d.%d", h, m, s, tenths % 10);
  }

  /** A span: {@code 00:00:01.2-00:00:04.0}. */
  public static String span(double start, double end) {
    return of(start) + "-" + of(end);
  }
}
