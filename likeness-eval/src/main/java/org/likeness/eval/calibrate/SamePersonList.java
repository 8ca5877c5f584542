package org.likeness.eval.calibrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Labelling errors of a photo set: pairs that the set files under two identities although they
 * show one person (an alias such as {@code Joseph_Blatter} and {@code Sepp_Blatter}, a photo filed
 * under the wrong name, one photo filed twice). Such a pair is not a false match, so calibration
 * leaves it out of the impostor pairs instead of counting it against the recogniser.
 *
 * <p>The file holds one entry per line, {@code A B # why}: each side is an identity (every photo
 * of it) or one photo ({@code IDENTITY/FILE}, as the set names it); {@code #} starts a comment.
 * Every entry must name photos of the set, so a typo cannot silently exclude nothing.
 */
public final class SamePersonList {
  /** One entry: every photo {@code a} names shows the person every photo {@code b} names shows. */
  public record Entry(String a, String b, String why, int line) {}

  private final List<Entry> entries;

  private SamePersonList(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** A list that excludes nothing. */
  public static SamePersonList none() {
    return new SamePersonList(List.of());
  }

  /** Reads the list from a UTF-8 text file. */
  public static SamePersonList read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Parses the lines of a list; {@code source} names it in errors. */
  public static SamePersonList parse(List<String> lines, String source) {
    List<Entry> out = new ArrayList<>();
    for (int n = 1; n <= lines.size(); n++) {
      String line = lines.get(n - 1);
      int hash = line.indexOf('#');
      String body = (hash < 0 ? line : line.substring(0, hash)).strip();
      if (body.isEmpty()) {
        continue;
      }
      String[] sides = body.split("\\s+");
      if (sides.length != 2) {
        throw new IllegalArgumentException(source + ":" + n + ": expected two names (identity or IDENTITY/FILE), found "
            + sides.length + ": " + body);
      }
      if (sides[0].equals(sides[1])) {
        throw new IllegalArgumentException(source + ":" + n + ": both sides are " + sides[0]);
      }
      out.add(new Entry(sides[0], sides[1], hash < 0 ? "" : line.substring(hash + 1).strip(), n));
    }
    return new SamePersonList(out);
  }

  public List<Entry> entries() {
    return entries;
  }

  /**
   * Refuses a list with an entry that names none of {@code photos} ({@code IDENTITY/FILE} each), so
   * that a typo cannot silently exclude nothing.
   */
  public void requireNamesIn(java.util.Collection<String> photos) {
    Set<String> all = new HashSet<>(photos), identities = new HashSet<>();
    photos.forEach(p -> identities.add(identityOf(p)));
    for (Entry e : entries) {
      for (String side : List.of(e.a(), e.b())) {
        if (!(side.contains("/") ? all.contains(side) : identities.contains(side))) {
          throw new IllegalArgumentException("line " + e.line() + ": " + side + " is no identity or photo of the set");
        }
      }
    }
  }

  /**
   * Whether the list declares two photos ({@code IDENTITY/FILE}, as the set names them) of different
   * identities one person.
   */
  public boolean declares(String photoA, String photoB) {
    if (identityOf(photoA).equals(identityOf(photoB))) {
      return false;
    }
    for (Entry e : entries) {
      if (names(e.a(), photoA) && names(e.b(), photoB) || names(e.a(), photoB) && names(e.b(), photoA)) {
        return true;
      }
    }
    return false;
  }

  private static boolean names(String side, String photo) {
    return side.contains("/") ? side.equals(photo) : side.equals(identityOf(photo));
  }

  private static String identityOf(String photo) {
    int slash = photo.indexOf('/');
    return slash < 0 ? photo : photo.substring(0, slash);
  }

  /**
   * The cross-identity photo pairs of {@code set} that this list declares one person.
   *
   * @throws IllegalArgumentException when an entry names no photo of the set
   */
  public Pairs pairsIn(EmbeddedSet set) {
    List<String> paths = set.paths();
    requireNamesIn(paths);
    boolean[] involved = new boolean[paths.size()];
    Set<Long> pairs = new HashSet<>();
    for (Entry e : entries) {
      for (int i = 0; i < paths.size(); i++) {
        if (!names(e.a(), paths.get(i))) {
          continue;
        }
        for (int j = 0; j < paths.size(); j++) {
          if (names(e.b(), paths.get(j)) && set.identity()[i] != set.identity()[j]) {
            pairs.add(key(i, j));
            involved[i] = true;
            involved[j] = true;
          }
        }
      }
    }
    return new Pairs(involved, Set.copyOf(pairs));
  }

  private static long key(int i, int j) {
    return i < j ? ((long) i << 32) | j : ((long) j << 32) | i;
  }

  /** Photo pairs (by index into the set) that are one person; a cheap test first, so a scan of 87 million pairs pays little. */
  public static final class Pairs {
    private final boolean[] involved;
    private final Set<Long> pairs;

    Pairs(boolean[] involved, Set<Long> pairs) {
      this.involved = involved;
      this.pairs = pairs;
    }

    /** Whether photos {@code i} and {@code j} are declared one person. */
    public boolean contains(int i, int j) {
      return involved[i] && involved[j] && pairs.contains(key(i, j));
    }

    /** Number of photo pairs declared one person. */
    public int size() {
      return pairs.size();
    }
  }
}
