package org.likeness.gallery.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.lucene.store.FSDirectory;

/**
 * Where a gallery's HNSW graph is kept between processes: the live folder, and a sibling
 * {@code .building} folder in which a new graph is written before it is moved into place, so a
 * reader never opens half a graph. Both hold template vectors: a deletion removes both.
 */
public final class SavedGraphDirectory {
  private final Path live;

  /** The saved graph in folder {@code live}. */
  public SavedGraphDirectory(Path live) {
    this.live = live;
  }

  /** The live folder. */
  public Path path() {
    return live;
  }

  Path building() {
    return live.resolveSibling(live.getFileName() + ".building");
  }

  /**
   * Deletes the saved graph and any half-built one beside it (left by a process that died while
   * building): their files hold template vectors, and a deletion must not leave them behind.
   */
  public void delete() {
    deleteFolder(live);
    deleteFolder(building());
  }

  /** Deletes the live graph only (not a folder a build of this process may be writing: that build is discarded on install). */
  void deleteLive() {
    deleteFolder(live);
  }

  /** The saved graph, or null when there is none, it cannot be read, or it has another format or build parameters. */
  LuceneHnswIndex open(Executor segments) {
    if (!Files.isDirectory(live)) {
      return null;
    }
    try {
      return LuceneHnswIndex.openSaved(FSDirectory.open(live), segments);
    } catch (IOException e) {
      return null; // unreadable: rebuilt
    }
  }

  /** Builds a graph of the snapshot in the building folder (replacing what was there); not yet live. */
  void build(List<float[]> vectors, long[] ids, int dimension, String fingerprint, Executor segments) {
    Path next = building();
    deleteFolder(next);
    try {
      Files.createDirectories(next);
      try (FSDirectory dir = FSDirectory.open(next)) {
        LuceneHnswIndex.build(vectors, ids, dimension, dir, fingerprint, segments).close();
      }
    } catch (IOException | RuntimeException e) {
      deleteFolder(next);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** Replaces the live graph by the one just built and opens it. */
  LuceneHnswIndex publish(Executor segments) {
    deleteFolder(live);
    try {
      Files.move(building(), live, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LuceneHnswIndex g = open(segments);
    if (g == null) {
      throw new IllegalStateException("the graph just built in " + live + " cannot be opened");
    }
    return g;
  }

  /** Discards a graph built but not published (it may hold a face deleted meanwhile). */
  void discardBuilt() {
    deleteFolder(building());
  }

  private static void deleteFolder(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the saved index " + dir + ": " + e.getMessage(), e);
    }
  }
}
