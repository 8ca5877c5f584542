package org.likeness.server.http;

/**
 * What a {@code Range} request header asks of a representation of known length, decided by RFC
 * 9110 §14: {@link Whole} (no header, a syntactically invalid one, another unit, or several ranges:
 * answer 200 with everything), {@link Part} (206 with one range, clamped to the length) or
 * {@link Unsatisfiable} (416 with {@code Content-Range: bytes *}{@code /LEN}).
 *
 * <p>Several ranges are answered with the whole representation rather than multipart/byteranges
 * (RFC 9110 §14.2 lets a server ignore Range): players ask for one range, and one code path is
 * easier to keep right. A set of ranges none of which is satisfiable is still a 416.
 */
public sealed interface ByteRange {

  /** Serve the whole representation (200). */
  record Whole() implements ByteRange {}

  /** Serve bytes {@code first..last} inclusive (206), with {@code 0 <= first <= last < length}. */
  record Part(long first, long last, long length) implements ByteRange {
    public Part {
      if (first < 0 || first > last || last >= length) {
        throw new IllegalArgumentException("not a range of " + length + " bytes: " + first + "-" + last);
      }
    }

    /** How many bytes the part holds. */
    public long size() {
      return last - first + 1;
    }

    /** The {@code Content-Range} value. */
    public String contentRange() {
      return "bytes " + first + "-" + last + "/" + length;
    }
  }

  /** No requested range overlaps the representation (416). */
  record Unsatisfiable(long length) implements ByteRange {
    /** The {@code Content-Range} value a 416 carries. */
    public String contentRange() {
      return "bytes */" + length;
    }
  }

  /**
   * The answer to Range {@code header} (null: none) for {@code length} bytes. Pure, never throws,
   * and the work is linear in the header's length (numbers of any size are compared as digits).
   */
  static ByteRange parse(String header, long length) {
    if (header == null || length < 0) {
      return new Whole();
    }
    String h = ows(header);
    int eq = h.indexOf('=');
    // The unit is a case-insensitive token, followed by '=' with no whitespace between.
    if (eq <= 0 || !h.substring(0, eq).equalsIgnoreCase("bytes")) {
      return new Whole();
    }
    String[] specs = h.substring(eq + 1).split(",", -1);
    Part only = null;
    int ranges = 0;
    boolean satisfiable = false;
    for (String raw : specs) {
      String spec = ows(raw); // OWS around list commas
      if (spec.isEmpty()) {
        continue; // empty list elements are allowed and ignored (RFC 9110 §5.6.1)
      }
      ranges++;
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return new Whole();
      }
      String first = spec.substring(0, dash), last = spec.substring(dash + 1);
      if (!digits(first) && !first.isEmpty() || !digits(last) && !last.isEmpty() || first.isEmpty() && last.isEmpty()) {
        return new Whole();
      }
      Part part;
      if (first.isEmpty()) { // suffix-range: the last N bytes
        long n = value(last);
        if (n == 0) {
          continue; // a zero suffix is valid but unsatisfiable
        }
        satisfiable = true;
        if (length == 0) {
          part = null; // satisfiable by definition, but an empty body has no range to name: answered whole
        } else {
          part = new Part(Math.max(0, length - n), length - 1, length);
        }
      } else {
        if (!last.isEmpty() && compare(first, last) > 0) {
          return new Whole(); // last < first: the whole header is invalid, so ignored
        }
        long from = value(first);
        if (from >= length) {
          continue;
        }
        satisfiable = true;
        part = new Part(from, last.isEmpty() ? length - 1 : Math.min(value(last), length - 1), length);
      }
      if (only == null) {
        only = part;
      }
    }
    if (ranges == 0) {
      return new Whole(); // "bytes=" or "bytes=,": no range-spec, invalid
    }
    if (!satisfiable) {
      return new Unsatisfiable(length);
    }
    return ranges == 1 && only != null ? only : new Whole();
  }

  /** {@code s} without leading and trailing optional whitespace (RFC 9110 OWS: spaces and tabs). */
  private static String ows(String s) {
    int from = 0, to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return s.substring(from, to);
  }

  private static boolean digits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** A digit string's value, saturating at Long.MAX_VALUE (longer than any file). */
  private static long value(String digits) {
    long v = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(i) - '0';
      if (v > (Long.MAX_VALUE - d) / 10) {
        return Long.MAX_VALUE;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** Compares two digit strings as numbers of any size. */
  private static int compare(String a, String b) {
    String x = stripZeros(a), y = stripZeros(b);
    return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
  }

  private static String stripZeros(String s) {
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    return s.substring(i);
  }
}
