package org.likeness.gallery.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file written whole or not at all: the content goes to a temporary file of its own beside the
 * target, which is renamed over it at the end; on any failure the temporary file is deleted, so an
 * export that holds crops never leaves a partial copy behind.
 */
public final class WholeFile {
  private WholeFile() {}

  /** What writes the content, into the temporary file it is given. */
  @FunctionalInterface
  public interface Writer<T> {
    T write(Path tmp) throws IOException;
  }

  /** Writes {@code file} through {@code writer}; returns what the writer returned. */
  public static <T> T write(Path file, Writer<T> writer) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
    try {
      T t = writer.write(tmp);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return t;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
