package org.likeness.engine.model.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Where a converter's output goes: written whole beside its target, then renamed into place. */
final class ConvertedModel {
  private ConvertedModel() {}

  /**
   * Writes {@code model} to {@code out}. A temporary file of its own beside the target, then a rename:
   * two processes opening the pack at once each write whole files, and a reader never sees half of one.
   */
  static void write(Path out, byte[] model) throws IOException {
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), out.getFileName().toString(), ".part");
    try {
      Files.write(tmp, model);
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) { // temporary files are owner-only; a model is not secret
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
