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
 * {@code .building-<pid>-<n>} folder per builder in which a new graph is written before it is moved
 * into place, so a reader never opens half a graph and two processes building at once never write
 * into one folder. All of them hold template vectors: a deletion removes every one.
 */
public final class SavedGraphDirectory {
  private static final java.util.concurrent.atomic.AtomicLong INSTANCES = new java.util.concurrent.atomic.AtomicLong();
  private final Path live;
  private final Path building;

  /** The saved graph in folder {@code live}. */
  public SavedGraphDirectory(Path live) {
    this.live = live;
    this.building = live.resolveSibling(live.getFileName() + ".building-" + ProcessHandle.current().pid() + "-"
        + INSTANCES.incrementAndGet());
  }

  /** The live folder. */
  public Path path() {
    return live;
  }

  Path building() {
    return building;
  }

  /**
   * Deletes the saved graph and every half-built one beside it (a build under way in any process,
   * or left by a process that died while building): their files hold template vectors, and a
   * deletion must not leave them behind. A build whose folder goes fails to publish, as it should.
   */
  public void delete() {
    deleteFolder(live);
    Path parent = live.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return;
    }
    String prefix = live.getFileName() + ".building";
    try (var siblings = Files.list(parent)) {
      for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        deleteFolder(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + parent + ": " + e.getMessage(), e);
    }
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

  /** Deletes a folder tree; retried, because a builder in another thread or process may still be adding files to it. */
  private static void deleteFolder(Path dir) {
    for (int attempt = 1; ; attempt++) {
      if (!Files.exists(dir)) {
        return;
      }
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
        return;
      } catch (IOException | UncheckedIOException e) {
        if (attempt == 5) {
          throw new UncheckedIOException("cannot delete the saved index " + dir + ": " + e.getMessage(),
              e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
      }
    }
  }
}
