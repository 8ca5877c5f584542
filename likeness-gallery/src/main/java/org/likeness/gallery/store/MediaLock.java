package org.likeness.gallery.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per media at a time, across processes: an exclusive lock on one byte of a lock file
 * beside the database, the byte chosen by the media's content hash. The operating system drops a
 * dead process's locks, so a kill never leaves media locked. Two hashes may share a byte (then the
 * two scans only wait for each other). Within one process a held byte is waited for the same way.
 */
public final class MediaLock implements AutoCloseable {
  /** Bytes of the lock file's range: a collision makes two media wait for each other, nothing worse. */
  private static final long SLOTS = 1L << 20;
  private static final long POLL_MILLIS = 25;

  private final FileChannel channel;
  private final FileLock lock;

  private MediaLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits for and takes the lock of the media with this sha256 (hex) in the store whose lock file is {@code file}. */
  public static MediaLock acquire(Path file, String sha256) {
    long slot = Long.parseUnsignedLong(sha256.substring(0, 15), 16) % SLOTS;
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      while (true) {
        try {
          FileLock l = channel.tryLock(slot, 1, false);
          if (l != null) {
            return new MediaLock(channel, l);
          }
        } catch (OverlappingFileLockException held) {
          // this process holds the byte (another thread's scan): wait as for another process
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (IOException e) {
      close(channel);
      throw new StoreException("cannot lock media " + sha256 + " in " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      close(channel);
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted waiting for the lock of media " + sha256, e);
    }
  }

  private static void close(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing held
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    close(channel);
  }
}
