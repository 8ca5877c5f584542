package org.likeness.gallery.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SQLite installation's media lock, across processes: an exclusive lock on one byte of a lock file
 * beside the database, the byte chosen by the media's content hash. The operating system drops a
 * dead process's locks, so a kill never leaves media locked. Two hashes may share a byte (then the
 * two scans only wait for each other). Within one process a held byte is waited for the same way.
 */
final class FileMediaLock implements MediaLock {
  /** Bytes of the lock file's range: a collision makes two media wait for each other, nothing worse. */
  private static final long SLOTS = 1L << 20;
  private static final long POLL_MILLIS = 25;
  /**
   * One channel per lock file for the whole process, never closed: POSIX drops every lock a process
   * holds on a file when any descriptor of it is closed, so a channel per lock would release the
   * other threads' locks (for other processes) whenever one scan ended. The one process-wide state
   * here, for that reason.
   */
  private static final ConcurrentHashMap<Path, FileChannel> CHANNELS = new ConcurrentHashMap<>();

  private final FileLock lock;

  private FileMediaLock(FileLock lock) {
    this.lock = lock;
  }

  /** Waits for and takes the lock of the media with this sha256 (hex) in the store whose lock file is {@code file}. */
  static FileMediaLock acquire(Path file, String sha256) {
    long slot = Long.parseUnsignedLong(sha256.substring(0, 15), 16) % SLOTS;
    try {
      FileChannel channel = CHANNELS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> {
        try {
          return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
          throw new StoreException("cannot open the media lock file " + p + ": " + e.getMessage(), e);
        }
      });
      while (true) {
        try {
          FileLock l = channel.tryLock(slot, 1, false);
          if (l != null) {
            return new FileMediaLock(l);
          }
        } catch (OverlappingFileLockException held) {
          // this process holds the byte (another thread's scan): wait as for another process
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (IOException e) {
      throw new StoreException("cannot lock media " + sha256 + " in " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted waiting for the lock of media " + sha256, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      throw new StoreException("cannot release a media lock: " + e.getMessage(), e);
    }
  }
}
