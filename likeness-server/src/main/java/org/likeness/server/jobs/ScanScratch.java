package org.likeness.server.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.UUID;
import java.util.regex.Pattern;
import org.likeness.gallery.store.SealedMedia;

/**
 * One server's folder on its own disk for footage in the clear: an upload while it arrives (sealed
 * into the shared media folder once whole) and the plain copy of a sealed upload while the decoder
 * reads it (FFmpeg reads files, not ciphertext). Created new with a random name, owner only; each
 * file created new, owner only, and deleted when done. A server killed meanwhile leaves its folder
 * behind; the next server started on the host removes the folders of this host's servers that no
 * longer run, known by the lock each holds on its folder for its life. Shared storage never holds footage in the clear while a template key is set.
 */
final class ScanScratch {
  private static final String PREFIX = "likeness-scan-";
  /** A path inside any server's scratch folder, as messages name it (the host's temporary folder may differ). */
  static final Pattern PATHS = Pattern.compile("[^\\s:'\"]*" + Pattern.quote(PREFIX) + "[^\\s/\\\\:'\"]+[/\\\\][^\\s:'\"]*");
  /** A folder's lock file: held (locked) by its server for as long as that process lives. */
  private static final String LOCK = ".lock";
  private final Path dir;
  /** Never closed: the lock goes with the process, however it ends. */
  private final FileChannel held;

  /** This process's folder under {@code root} (the temporary folder), after removing those of this host's dead servers. */
  ScanScratch(Path root, String host) throws IOException {
    String mine = PREFIX + host + "-";
    this.dir = Files.createTempDirectory(root, mine + ProcessHandle.current().pid() + "-"); // random, new, rwx------ on POSIX
    this.held = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    held.lock();
    Object me = Files.getOwner(dir);
    try (var dirs = Files.list(root)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String n = d.getFileName().toString();
        if (!n.startsWith(mine) || d.equals(dir)) {
          continue;
        }
        String pid = n.substring(mine.length()).split("-", 2)[0];
        try {
          if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) && Files.getOwner(d, LinkOption.NOFOLLOW_LINKS).equals(me) && !inUse(d, pid)) {
            deleteTree(d);
          }
        } catch (IOException | UncheckedIOException e) {
          // removed by another server starting at once, or unreadable: left for the next start
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // an unreadable temporary folder: nothing to clean; this server's own folder stands
    }
  }

  /** The folder. */
  Path dir() {
    return dir;
  }

  /** A new empty file in the folder, readable by this user only. */
  Path newFile(String suffix) throws IOException {
    Path f = dir.resolve(UUID.randomUUID() + suffix);
    return f.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createFile(f);
  }

  /** A plain copy of the sealed upload {@code sealed}, for one scan; the caller deletes it. */
  Path plainCopy(Path sealed, SealedMedia sealer) throws IOException {
    Path plain = newFile(".upload");
    try (OutputStream out = Files.newOutputStream(plain, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      sealer.read(sealed, 0, sealer.length(sealed), out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(plain);
      throw e;
    }
    return plain;
  }

  /**
   * Whether a folder's server still runs: its lock is held (by another process, or by another server
   * of this one). A process id alone cannot say: in a container every server is process 1. A folder
   * without a lock file (an older release's, or one not yet locked) is judged by its process id.
   */
  private static boolean inUse(Path d, String pid) throws IOException {
    // Last changed: when a file in it came or went (a crashed server's, before it crashed).
    java.time.Instant touched = Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS).toInstant();
    if (touched.isAfter(java.time.Instant.now().minusSeconds(60))) {
      return true; // in use just now, or a server starting whose lock may not be taken yet
    }
    if (pid.equals(Long.toString(ProcessHandle.current().pid()))
        && ProcessHandle.current().info().startInstant().map(touched::isAfter).orElse(false)) {
      // Another server of this very process: its lock is not probed, since closing a channel on a locked
      // file would release this process's lock on it (POSIX locks belong to the process).
      return true;
    }
    Path lock = d.resolve(LOCK);
    if (!Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS)) {
      return alive(pid);
    }
    try (FileChannel c = FileChannel.open(lock, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock l = c.tryLock();
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  private static boolean alive(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true; // not a folder this class names: left alone
    }
  }

  private static void deleteTree(Path d) throws IOException {
    try (var walk = Files.walk(d)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
