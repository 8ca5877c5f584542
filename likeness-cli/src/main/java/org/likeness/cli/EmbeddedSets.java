package org.likeness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.FaceEngine;
import org.likeness.eval.calibrate.EmbeddedSet;

/**
 * The embedded photo set the evaluations share (calibrate, cluster): read from the cache file when
 * it exists and holds this pack's embeddings, else embedded from DIR/IDENTITY/PHOTO with progress
 * and written to the cache.
 */
final class EmbeddedSets {
  private EmbeddedSets() {}

  /** An embedded set written earlier, with the pairs of its photos a same-person list declares one person. */
  record Labelled(EmbeddedSet set, org.likeness.eval.calibrate.SamePersonList.Pairs samePerson) {}

  /** Reads a set written by {@code eval calibrate --embeddings} and the same-person list that applies to it (null: none). */
  static Labelled read(Path embeddings, Path samePersonFile) throws IOException, InputException {
    if (!Files.isRegularFile(embeddings)) {
      throw new InputException(embeddings + ": no such file (write it with eval calibrate --embeddings)");
    }
    EmbeddedSet set = EmbeddedSet.read(embeddings);
    try {
      return new Labelled(set, SamePersonOption.read(samePersonFile).pairsIn(set));
    } catch (IllegalArgumentException e) {
      throw new InputException(samePersonFile + ": " + e.getMessage());
    }
  }

  static EmbeddedSet load(FaceEngine engine, Path root, Path cache, PrintWriter err) throws IOException, InputException {
    if (cache != null && Files.exists(cache)) {
      EmbeddedSet set = EmbeddedSet.read(cache);
      if (!set.pack().equals(engine.pack().id())) {
        throw new InputException(cache + " holds embeddings of pack " + set.pack() + ", not " + engine.pack().id());
      }
      return set;
    }
    if (!Files.isDirectory(root)) {
      throw new InputException(root + " is not a folder");
    }
    long files;
    try (var s = Files.walk(root, 2)) {
      files = s.filter(Files::isRegularFile).count();
    }
    ProgressBar bar = new ProgressBar(err, "embed", (int) files, System.console() != null);
    List<String> skipped = new ArrayList<>();
    EmbeddedSet set = EmbeddedSet.embed(engine, root, Runtime.getRuntime().availableProcessors(), bar::update, skipped);
    skipped.forEach(s -> err.println("likeness: skipped " + s));
    if (cache != null) {
      set.write(cache);
    }
    return set;
  }
}
