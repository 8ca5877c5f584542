package org.likeness.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Local copies of media on other file systems (HDFS, S3), shared by the tasks of one executor
 * JVM: the classification of a file, its photo task and every time segment of a long video read
 * one copy instead of one each. A copy is keyed by URI, length and modification time (a file
 * changed since is copied again), made once while other tasks wanting it wait, and kept after its
 * last reader while the copies fit {@code budget} bytes; beyond that the least recently used copy
 * nobody reads is deleted. A copy bigger than the budget is deleted when its last reader is done.
 */
final class MediaCopies {
  /** The executor's copies: a static field for the reason {@link WorkerEngines} gives. */
  private static final MediaCopies EXECUTOR = new MediaCopies(defaultFolder(), defaultBudget());

  private final Path folder;
  private final long budget;
  /** Access-ordered: the first entry is the least recently used. */
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long copies;

  /** Identifies one version of a remote file. */
  record Key(String uri, long length, long modified) {}

  private static final class Entry {
    final CompletableFuture<Path> copy = new CompletableFuture<>();
    long bytes;
    int readers;
  }

  /** A copy being read; closing it says this reader is done. */
  final class Lease implements AutoCloseable {
    private final Key key;
    private final Path path;
    private boolean closed;

    private Lease(Key key, Path path) {
      this.key = key;
      this.path = path;
    }

    Path path() {
      return path;
    }

    @Override
    public void close() {
      synchronized (MediaCopies.this) {
        if (closed) {
          return;
        }
        closed = true;
        Entry e = entries.get(key);
        if (e != null) {
          e.readers--;
        }
        evict();
      }
    }
  }

  MediaCopies(Path folder, long budget) {
    this.folder = folder;
    this.budget = budget;
  }

  /** This executor's copies. */
  static MediaCopies executor() {
    return EXECUTOR;
  }

  /** The file at {@code remote} as a local path, copied once for every task of this JVM that reads it. */
  Lease open(org.apache.hadoop.fs.Path remote, Configuration conf) throws IOException {
    FileSystem fs = remote.getFileSystem(conf);
    FileStatus status = fs.getFileStatus(remote);
    Key key = new Key(status.getPath().toString(), status.getLen(), status.getModificationTime());
    Entry entry;
    boolean mine = false;
    synchronized (this) {
      entry = entries.get(key);
      if (entry == null) {
        entry = new Entry();
        entry.bytes = status.getLen();
        entries.put(key, entry);
        mine = true;
      }
      entry.readers++;
    }
    if (mine) {
      try {
        entry.copy.complete(copy(fs, remote));
      } catch (IOException | RuntimeException e) {
        entry.copy.completeExceptionally(e);
      }
    }
    try {
      return new Lease(key, entry.copy.get());
    } catch (ExecutionException | InterruptedException e) {
      synchronized (this) {
        entry.readers--;
        entries.remove(key, entry); // a failed copy is not kept: the next task tries again
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }
  }

  private Path copy(FileSystem fs, org.apache.hadoop.fs.Path remote) throws IOException {
    Files.createDirectories(folder);
    String name = remote.getName();
    Path local = Files.createTempFile(folder, "media-", name.contains(".") ? name.substring(name.lastIndexOf('.')) : "");
    try (InputStream in = fs.open(remote)) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(local);
      throw e;
    }
    synchronized (this) {
      copies++;
    }
    return local;
  }

  /** Deletes copies nobody reads, least recently used first, until the rest fit the budget. */
  private void evict() {
    long total = entries.values().stream().mapToLong(e -> e.bytes).sum();
    List<Path> gone = new ArrayList<>();
    for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext() && total > budget; ) {
      Entry e = it.next().getValue();
      if (e.readers == 0 && e.copy.isDone() && !e.copy.isCompletedExceptionally()) {
        gone.add(e.copy.join());
        total -= e.bytes;
        it.remove();
      }
    }
    for (Path p : gone) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot delete the media copy " + p, ex);
      }
    }
  }

  /** Copies made so far (a file read by several tasks counts once). */
  synchronized long copies() {
    return copies;
  }

  /** Copies kept now. */
  synchronized int kept() {
    return entries.size();
  }

  private static Path defaultFolder() {
    Path folder = Path.of(System.getProperty("java.io.tmpdir"), "likeness-media-" + ProcessHandle.current().pid());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAll(folder), "likeness-media-copies"));
    return folder;
  }

  /** A quarter of the temporary folder's free space, at most 8 GiB. */
  private static long defaultBudget() {
    try {
      long free = Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).getUsableSpace();
      return Math.min(8L << 30, free / 4);
    } catch (IOException e) {
      return 1L << 30;
    }
  }

  private static void deleteAll(Path folder) {
    try (var files = Files.list(folder)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(folder);
    } catch (IOException e) {
      // the folder is in the temporary folder; what is left there goes with it
    }
  }
}
