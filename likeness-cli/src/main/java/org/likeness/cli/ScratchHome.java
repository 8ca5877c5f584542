package org.likeness.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** A throw-away store folder for evaluations and benchmarks, deleted with everything in it on close. */
final class ScratchHome implements AutoCloseable {
  private final Path dir;

  /** A new empty folder named after {@code purpose} in the system's temporary folder. */
  ScratchHome(String purpose) throws IOException {
    this.dir = Files.createTempDirectory(purpose);
  }

  /** The folder. */
  Path path() {
    return dir;
  }

  @Override
  public void close() {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the scratch folder " + dir + ": " + e.getMessage(), e);
    }
  }
}
