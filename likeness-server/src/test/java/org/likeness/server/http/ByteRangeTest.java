package org.likeness.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Range headers by RFC 9110 §14: the cases the video link got wrong, then a randomized fuzz
 * against an independent oracle (regular expressions and BigInteger). The seed is printed; replay
 * a failure with {@code -Dtests.seed=N}.
 */
class ByteRangeTest {
  private static final long LEN = 600_000;

  @Test
  void theBookCases() {
    assertThat(ByteRange.parse(null, LEN)).isEqualTo(new ByteRange.Whole());
    assertThat(ByteRange.parse("bytes=1000-1999", LEN)).isEqualTo(new ByteRange.Part(1000, 1999, LEN));
    assertThat(ByteRange.parse("bytes=1000-", LEN)).isEqualTo(new ByteRange.Part(1000, LEN - 1, LEN));
    assertThat(ByteRange.parse("bytes=-100", LEN)).as("the last 100 bytes").isEqualTo(new ByteRange.Part(LEN - 100, LEN - 1, LEN));
    assertThat(ByteRange.parse("bytes=-700000", LEN)).as("a suffix longer than the file is all of it")
        .isEqualTo(new ByteRange.Part(0, LEN - 1, LEN));
    assertThat(ByteRange.parse("bytes=500000-999999", LEN)).as("the end is clamped")
        .isEqualTo(new ByteRange.Part(500000, LEN - 1, LEN));
    assertThat(ByteRange.parse("bytes=999999-", LEN)).isEqualTo(new ByteRange.Unsatisfiable(LEN));
    assertThat(ByteRange.parse("bytes=600000-600001", LEN)).isEqualTo(new ByteRange.Unsatisfiable(LEN));
    assertThat(ByteRange.parse("bytes=99999999999999999999-", LEN)).isEqualTo(new ByteRange.Unsatisfiable(LEN));
    assertThat(ByteRange.parse("bytes=0-99999999999999999999", LEN)).isEqualTo(new ByteRange.Part(0, LEN - 1, LEN));
    assertThat(ByteRange.parse("bytes=-0", LEN)).isEqualTo(new ByteRange.Unsatisfiable(LEN));
    assertThat(((ByteRange.Unsatisfiable) ByteRange.parse("bytes=999999-", LEN)).contentRange()).isEqualTo("bytes */600000");
    for (String invalid : List.of("bytes=abc", "bytes=100-50", "bytes=", "bytes=,", "bytes=--1", "bytes=1-2-3", "bytes 0-1",
        "items=0-1", "bytes=0x10-", "bytes=+1-2", "bytes=-", "=0-1", "bytes=99999999999999999999-99999999999999999998")) {
      assertThat(ByteRange.parse(invalid, LEN)).as(invalid).isEqualTo(new ByteRange.Whole());
    }
    assertThat(ByteRange.parse("BYTES=0-0", LEN)).isEqualTo(new ByteRange.Part(0, 0, LEN));
    assertThat(ByteRange.parse(" bytes=0-9 , ", LEN)).isEqualTo(new ByteRange.Part(0, 9, LEN));
    assertThat(ByteRange.parse("bytes=0-9,20-29", LEN)).as("several ranges: answered whole").isEqualTo(new ByteRange.Whole());
    assertThat(ByteRange.parse("bytes=700000-,800000-", LEN)).as("several, none satisfiable").isEqualTo(new ByteRange.Unsatisfiable(LEN));
    assertThat(ByteRange.parse("bytes=0-", 0)).isEqualTo(new ByteRange.Unsatisfiable(0));
    assertThat(ByteRange.parse("bytes=-5", 0)).as("an empty file has no part to name").isEqualTo(new ByteRange.Whole());
  }

  @Test
  void fuzzAgainstAnOracle() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("ByteRangeTest seed: " + seed + " (replay with -Dtests.seed=" + seed + ")");
    Random rnd = new Random(seed);
    for (int i = 0; i < 200_000; i++) {
      long length = switch (rnd.nextInt(4)) {
        case 0 -> 0;
        case 1 -> 1 + rnd.nextInt(3);
        case 2 -> 1 + rnd.nextInt(2_000_000);
        default -> Long.MAX_VALUE - rnd.nextInt(3);
      };
      String header = header(rnd, length);
      ByteRange got;
      try {
        got = ByteRange.parse(header, length);
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " case " + i + ": '" + header + "' of " + length + " threw", e);
      }
      ByteRange expected = oracle(header, length);
      assertThat(got).as("seed %d case %d: '%s' of %d bytes", seed, i, header, length).isEqualTo(expected);
      if (got instanceof ByteRange.Part p) {
        assertThat(p.first()).isBetween(0L, length - 1);
        assertThat(p.last()).isBetween(p.first(), length - 1);
      }
    }
  }

  private static final String[] UNITS = {"bytes", "BYTES", "Bytes", "items", "byte", "", "bytes ", " bytes"};

  private static String header(Random rnd, long length) {
    if (rnd.nextInt(20) == 0) { // random bytes
      StringBuilder b = new StringBuilder();
      for (int n = rnd.nextInt(30); n > 0; n--) {
        b.append((char) rnd.nextInt(256));
      }
      return b.toString();
    }
    StringBuilder b = new StringBuilder(UNITS[rnd.nextInt(UNITS.length)]).append(rnd.nextInt(30) == 0 ? "" : "=");
    int specs = rnd.nextInt(10) == 0 ? 0 : 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(4) : 0);
    for (int s = 0; s < specs; s++) {
      if (s > 0 || rnd.nextInt(10) == 0) {
        b.append(ws(rnd)).append(',').append(ws(rnd));
      }
      switch (rnd.nextInt(6)) {
        case 0 -> b.append('-').append(number(rnd, length));
        case 1 -> b.append(number(rnd, length)).append('-');
        case 2 -> b.append(junk(rnd));
        default -> b.append(number(rnd, length)).append('-').append(number(rnd, length));
      }
    }
    if (rnd.nextInt(8) == 0) {
      b.append(ws(rnd)).append(',');
    }
    return rnd.nextInt(6) == 0 ? ws(rnd) + b + ws(rnd) : b.toString();
  }

  private static String ws(Random rnd) {
    return switch (rnd.nextInt(6)) {
      case 0 -> " ";
      case 1 -> "\t";
      case 2 -> "  \t";
      default -> "";
    };
  }

  private static String number(Random rnd, long length) {
    return switch (rnd.nextInt(9)) {
      case 0 -> "0";
      case 1 -> Long.toString(length);
      case 2 -> Long.toString(Math.max(0, length - 1));
      case 3 -> Long.toString(length + 1);
      case 4 -> "99999999999999999999" + rnd.nextInt(10);
      case 5 -> "000" + rnd.nextInt(100);
      case 6 -> Long.toString(Long.MAX_VALUE);
      case 7 -> "-" + rnd.nextInt(100);
      default -> Long.toString(rnd.nextLong(length > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * length + 1));
    };
  }

  private static String junk(Random rnd) {
    String[] bits = {"", "-", "--", "abc", " ", "1 -2", "1e3-", "0x1-2", "=", ";", "\u0000", "١-٢", "+5-6", "5 - 6"};
    return bits[rnd.nextInt(bits.length)];
  }

  private static final Pattern HEADER = Pattern.compile("[ \\t]*bytes=(.*?)[ \\t]*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern SPEC = Pattern.compile("[ \\t]*(?:([0-9]+)-([0-9]*)|-([0-9]+))[ \\t]*");
  private static final Pattern EMPTY = Pattern.compile("[ \\t]*");

  /** RFC 9110 §14 written again, the slow way. */
  private static ByteRange oracle(String header, long length) {
    Matcher h = HEADER.matcher(header);
    if (!h.matches()) {
      return new ByteRange.Whole();
    }
    BigInteger len = BigInteger.valueOf(length);
    List<BigInteger[]> satisfiable = new ArrayList<>();
    int ranges = 0;
    for (String element : h.group(1).split(",", -1)) {
      if (EMPTY.matcher(element).matches()) {
        continue;
      }
      Matcher m = SPEC.matcher(element);
      if (!m.matches()) {
        return new ByteRange.Whole();
      }
      ranges++;
      if (m.group(3) != null) {
        BigInteger n = new BigInteger(m.group(3));
        if (n.signum() > 0) {
          satisfiable.add(new BigInteger[] {len.subtract(n).max(BigInteger.ZERO), len.subtract(BigInteger.ONE)});
        }
      } else {
        BigInteger first = new BigInteger(m.group(1));
        BigInteger last = m.group(2).isEmpty() ? null : new BigInteger(m.group(2));
        if (last != null && last.compareTo(first) < 0) {
          return new ByteRange.Whole();
        }
        if (first.compareTo(len) < 0) {
          BigInteger end = last == null ? len.subtract(BigInteger.ONE) : last.min(len.subtract(BigInteger.ONE));
          satisfiable.add(new BigInteger[] {first, end});
        }
      }
    }
    if (ranges == 0) {
      return new ByteRange.Whole();
    }
    if (satisfiable.isEmpty()) {
      return new ByteRange.Unsatisfiable(length);
    }
    if (ranges > 1 || length == 0) {
      return new ByteRange.Whole();
    }
    BigInteger[] r = satisfiable.get(0);
    if (r[0].signum() < 0 || r[1].compareTo(r[0]) < 0) {
      fail("oracle made a bad range");
    }
    return new ByteRange.Part(r[0].longValueExact(), r[1].longValueExact(), length);
  }
}
