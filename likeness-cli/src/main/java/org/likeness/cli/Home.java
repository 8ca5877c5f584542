package org.likeness.cli;

import java.nio.file.Path;
import java.util.Map;

/** Where Likeness keeps its state: {@code LIKENESS_HOME}, default {@code ~/.likeness}. */
final class Home {
  private Home() {}

  static Path of(Map<String, String> env) {
    String h = env.get("LIKENESS_HOME");
    return h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".likeness");
  }
}
