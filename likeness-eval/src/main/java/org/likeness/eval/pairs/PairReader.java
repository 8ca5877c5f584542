package org.likeness.eval.pairs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads pair lists in two layouts: CSV with a header naming columns {@code a,b} and optionally
 * {@code same} (relative paths resolve against {@code root}), and LFW's {@code pairs.txt}
 * (first line "folds pairsPerFold", then per fold the matched "name n1 n2" lines followed by the
 * mismatched "name1 n1 name2 n2" lines; images at {@code root/name/name_0001.jpg}).
 */
public final class PairReader {

  /** The layout of a pair file. */
  public enum Layout { CSV, LFW }

  /** Guesses the layout: LFW when the first line is one or two integers. */
  public static Layout detect(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      String first = lines.findFirst().orElse("").trim();
      return first.matches("\\d+(\\s+\\d+)?") ? Layout.LFW : Layout.CSV;
    }
  }

  /** Reads a file in either layout. */
  public static List<Pair> read(Path file, Path root) throws IOException {
    return detect(file) == Layout.LFW ? readLfw(file, root) : readCsv(file, root);
  }

  /** Reads the CSV layout. */
  public static List<Pair> readCsv(Path file, Path root) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(file + ": empty pair list");
    }
    List<String> header = splitCsv(stripBom(lines.get(0)));
    int ia = indexOf(header, "a"), ib = indexOf(header, "b"), is = indexOf(header, "same");
    if (ia < 0 || ib < 0) {
      throw new IOException(file + ": header must name columns a and b (got " + header + ")");
    }
    List<Pair> out = new ArrayList<>();
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      List<String> cells = splitCsv(line);
      if (cells.size() <= Math.max(ia, Math.max(ib, is))) {
        throw new IOException(file + ":" + (n + 1) + ": expected " + header.size() + " columns, got " + cells.size());
      }
      Boolean same = is < 0 ? null : parseBool(cells.get(is), file, n + 1);
      out.add(new Pair(root.resolve(cells.get(ia)), root.resolve(cells.get(ib)), same, 0));
    }
    return out;
  }

  /** Reads LFW's pairs.txt layout. */
  public static List<Pair> readLfw(Path file, Path root) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String[] head = lines.get(0).trim().split("\\s+");
    int folds = head.length == 2 ? Integer.parseInt(head[0]) : 1;
    int perFold = Integer.parseInt(head[head.length - 1]);
    List<Pair> out = new ArrayList<>();
    int n = 1;
    for (int f = 0; f < folds; f++) {
      for (int k = 0; k < 2 * perFold; k++, n++) {
        if (n >= lines.size()) {
          throw new IOException(file + ": expected " + folds * 2 * perFold + " pairs, file ends at line " + n);
        }
        String[] t = lines.get(n).trim().split("\\s+");
        if (t.length == 3) {
          out.add(new Pair(lfwImage(root, t[0], t[1]), lfwImage(root, t[0], t[2]), true, f));
        } else if (t.length == 4) {
          out.add(new Pair(lfwImage(root, t[0], t[1]), lfwImage(root, t[2], t[3]), false, f));
        } else {
          throw new IOException(file + ":" + (n + 1) + ": expected 3 or 4 fields, got " + t.length);
        }
      }
    }
    return out;
  }

  private static Path lfwImage(Path root, String name, String num) {
    return root.resolve(name).resolve(String.format(Locale.ROOT, "%s_%04d.jpg", name, Integer.parseInt(num)));
  }

  private static Boolean parseBool(String s, Path file, int line) throws IOException {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "same" -> true;
      case "0", "false", "no", "different" -> false;
      default -> throw new IOException(file + ":" + line + ": 'same' must be 1/0 or true/false, got '" + s + "'");
    };
  }

  private static int indexOf(List<String> header, String name) {
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).trim().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  /** Splits one CSV record (RFC 4180 quoting, no embedded newlines). */
  static List<String> splitCsv(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    cells.add(cur.toString());
    return cells;
  }
}
