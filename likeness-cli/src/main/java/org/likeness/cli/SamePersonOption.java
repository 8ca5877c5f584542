package org.likeness.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.likeness.eval.calibrate.SamePersonList;

/** The {@code --same-person FILE} option of the evaluations: the list read, or an empty one when none is given. */
final class SamePersonOption {
  private SamePersonOption() {}

  /** Reads {@code file} (null: a list that excludes nothing); a missing or malformed file is bad input. */
  static SamePersonList read(Path file) throws InputException, IOException {
    if (file == null) {
      return SamePersonList.none();
    }
    try {
      return SamePersonList.read(file);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
  }
}
