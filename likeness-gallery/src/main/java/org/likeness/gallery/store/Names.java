package org.likeness.gallery.store;

/** Validation of user-supplied names (galleries, subjects): printable, bounded, no path separators. */
public final class Names {
  /** Longest name accepted, in characters. */
  public static final int MAX_LENGTH = 200;

  private Names() {}

  /** {@code name} stripped of surrounding space, or an exception saying what is wrong with it. */
  public static String check(String kind, String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException(kind + " name must not be empty");
    }
    String n = name.strip();
    if (n.length() > MAX_LENGTH) {
      throw new InvalidInputException(kind + " name longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (Character.isISOControl(c) || c == '/' || c == '\\') {
        throw new InvalidInputException(kind + " name must not contain control characters or path separators: '"
            + n.replaceAll("\\p{Cntrl}", "?") + "'");
      }
    }
    return n;
  }
}
