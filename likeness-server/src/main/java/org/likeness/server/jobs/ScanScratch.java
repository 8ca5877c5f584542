package org.likeness.server.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.UUID;
import org.likeness.gallery.store.SealedMedia;

/**
 * One server's folder on its own disk for the plain copy of a sealed upload while the decoder reads
 * it (FFmpeg reads files, not ciphertext): owner only, each copy deleted when its scan ends. A
 * server killed mid-scan leaves its folder behind; the next server started on the host removes the
 * folders of servers that are no longer running. Shared storage never holds a plain upload.
 */
final class ScanScratch {
  private static final String PREFIX = "likeness-scan-";
  private final Path dir;

  /** This process's folder under {@code root} (the temporary folder), after removing those of dead servers of this host. */
  ScanScratch(Path root, String host) throws IOException {
    String mine = PREFIX + host + "-";
    try (var dirs = Files.list(root)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String n = d.getFileName().toString();
        if (n.startsWith(mine) && Files.isDirectory(d) && !alive(n.substring(mine.length()))) {
          deleteTree(d);
        }
      }
    } catch (IOException e) {
      // another server removing the same folder at once, or an unreadable entry: not this server's
    }
    Path d = root.resolve(mine + ProcessHandle.current().pid());
    this.dir = Files.isDirectory(d) ? d : d.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? Files.createDirectories(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
        : Files.createDirectories(d);
  }

  /** The folder; its paths are a server's own, replaced in messages as an upload's are. */
  Path dir() {
    return dir;
  }

  /** A plain copy of the sealed upload {@code sealed}, for one scan; the caller deletes it. */
  Path plainCopy(Path sealed, SealedMedia sealer) throws IOException {
    Path plain = dir.resolve(UUID.randomUUID() + ".upload");
    try (OutputStream out = Files.newOutputStream(plain)) {
      sealer.read(sealed, 0, sealer.length(sealed), out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(plain);
      throw e;
    }
    return plain;
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
