package org.likeness.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote media are copied once per executor, however many tasks read them, and the copies stay within their budget. */
class MediaCopiesTest {
  private static final long SEED = Long.getLong("tests.seed", new Random().nextLong());

  /** The local file system under another scheme, counting how often a file is opened for reading: a stand-in for HDFS. */
  public static final class CountingFileSystem extends RawLocalFileSystem {
    static final AtomicInteger OPENS = new AtomicInteger();

    @Override
    public URI getUri() {
      return URI.create("counting:///");
    }

    @Override
    public String getScheme() {
      return "counting";
    }

    @Override
    public FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
      OPENS.incrementAndGet();
      return super.open(f, bufferSize);
    }
  }

  @TempDir Path remote;
  @TempDir Path copies;

  private static Configuration conf() {
    Configuration c = new Configuration();
    c.set("fs.counting.impl", CountingFileSystem.class.getName());
    c.setBoolean("fs.counting.impl.disable.cache", true);
    return c;
  }

  private Path file(String name, int bytes) throws IOException {
    byte[] data = new byte[bytes];
    new Random(SEED + name.hashCode()).nextBytes(data);
    return Files.write(remote.resolve(name), data);
  }

  private static org.apache.hadoop.fs.Path uri(Path p) {
    return new org.apache.hadoop.fs.Path("counting://" + p.toAbsolutePath());
  }

  @Test
  void theTasksOfOneFileShareOneCopy() throws Exception {
    Path video = file("long.mp4", 300_000);
    MediaCopies cache = new MediaCopies(copies, 1L << 30);
    int before = CountingFileSystem.OPENS.get();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> reads = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        reads.add(pool.submit(() -> {
          try (MediaCopies.Lease l = cache.open(uri(video), conf())) {
            assertTrue(l.path().startsWith(copies), l.path().toString());
            return Files.readAllBytes(l.path());
          }
        }));
      }
      for (Future<byte[]> r : reads) {
        assertArrayEquals(Files.readAllBytes(video), r.get(), "seed " + SEED);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, cache.copies());
    assertEquals(1, CountingFileSystem.OPENS.get() - before, "the remote file is read once");
    assertEquals(1, cache.kept());
  }

  @Test
  void aFileChangedSinceIsCopiedAgain() throws Exception {
    Path photo = file("a.jpg", 1_000);
    MediaCopies cache = new MediaCopies(copies, 1L << 30);
    try (MediaCopies.Lease l = cache.open(uri(photo), conf())) {
      assertEquals(1_000, Files.size(l.path()));
    }
    Files.write(photo, new byte[2_000]);
    try (MediaCopies.Lease l = cache.open(uri(photo), conf())) {
      assertArrayEquals(new byte[2_000], Files.readAllBytes(l.path()));
    }
    assertEquals(2, cache.copies());
  }

  @Test
  void copiesBeyondTheBudgetGoLeastRecentlyUsedFirstButNeverWhileRead() throws Exception {
    Path a = file("a.mp4", 1_000), b = file("b.mp4", 1_000), c = file("c.mp4", 1_000);
    MediaCopies cache = new MediaCopies(copies, 2_500);
    Path copyOfA;
    try (MediaCopies.Lease l = cache.open(uri(a), conf())) {
      copyOfA = l.path();
    }
    try (MediaCopies.Lease l = cache.open(uri(b), conf())) {
      assertTrue(Files.exists(copyOfA));
    }
    try (MediaCopies.Lease l = cache.open(uri(c), conf())) {
      assertTrue(Files.exists(l.path()));
    }
    assertFalse(Files.exists(copyOfA), "a was the least recently used");
    assertEquals(2, cache.kept());

    MediaCopies none = new MediaCopies(copies.resolve("none"), 0);
    Path held;
    try (MediaCopies.Lease l = none.open(uri(a), conf())) {
      held = l.path();
      try (MediaCopies.Lease m = none.open(uri(b), conf())) {
        assertTrue(Files.exists(m.path()));
      }
      assertTrue(Files.exists(held), "a copy being read stays");
      assertEquals(1, none.kept());
    }
    assertFalse(Files.exists(held));
    assertEquals(0, none.kept());
  }

  @Test
  void aFileThatCannotBeReadIsNotKept() {
    MediaCopies cache = new MediaCopies(copies, 1L << 30);
    assertThrows(IOException.class, () -> cache.open(uri(remote.resolve("missing.mp4")), conf()));
    assertEquals(0, cache.kept());
  }
}
