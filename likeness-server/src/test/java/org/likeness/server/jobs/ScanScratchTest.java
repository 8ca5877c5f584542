package org.likeness.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.gallery.store.SealedMedia;
import org.likeness.gallery.store.TemplateCipher;

/** The plain copies a server's scans read: in its own folder, and what a killed server left removed by the next on the host. */
class ScanScratchTest {
  @TempDir
  Path root;

  @Test
  void aDeadServersFolderGoesAndTheLivingOnesStay() throws Exception {
    long dead = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000; // no such process
    Path left = Files.createDirectories(root.resolve("likeness-scan-h1-" + dead + "-abc"));
    Files.writeString(left.resolve("x.upload"), "plain footage");
    Path living = Files.createDirectories(root.resolve("likeness-scan-h1-" + ProcessHandle.current().parent().orElseThrow().pid() + "-def"));
    Path otherHost = Files.createDirectories(root.resolve("likeness-scan-h2-" + dead + "-ghi"));
    Path link = Files.createSymbolicLink(root.resolve("likeness-scan-h1-" + dead + "-lnk"), Files.createDirectories(root.resolve("target")));
    Files.writeString(root.resolve("target").resolve("keep"), "not ours to delete");
    for (Path d : new Path[] {left, living, otherHost}) {
      old(d); // a folder changed in the last minute is taken as in use
    }
    ScanScratch scratch = new ScanScratch(root, "h1");
    assertThat(left).doesNotExist();
    assertThat(living).isDirectory();
    assertThat(otherHost).as("another host's: its processes are not ours to judge").isDirectory();
    assertThat(root.resolve("target").resolve("keep")).as("a link is never followed").exists();
    assertThat(link).isSymbolicLink();
    assertThat(scratch.dir().getFileName().toString()).startsWith("likeness-scan-h1-" + ProcessHandle.current().pid() + "-");
    assertThat(scratch.dir()).isDirectory();
    assertThat(new ScanScratch(root, "h1").dir()).as("a second server of this process: a folder of its own").isNotEqualTo(scratch.dir());
    if (scratch.dir().getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.dir()))).isEqualTo("rwx------");
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.newFile(".upload"))))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aFolderIsInUseWhileItsLockIsHeldWhateverItsProcessId() throws Exception {
    // In a container every server is process 1: a crashed one's folder names a process that runs.
    Path crashed = Files.createDirectories(root.resolve("likeness-scan-h1-1-abc"));
    Files.writeString(crashed.resolve("x.upload"), "plain footage");
    Files.createFile(crashed.resolve(".lock")); // its lock went with its process
    Path starting = Files.createDirectories(root.resolve("likeness-scan-h1-1-def")); // just made, not locked yet
    Files.createFile(starting.resolve(".lock"));
    old(crashed);
    ScanScratch first = new ScanScratch(root, "h1");
    assertThat(starting).as("a folder changed in the last minute is in use").isDirectory();
    assertThat(crashed).doesNotExist();
    // As if it had run for a while (changed last just after this process started): another server of
    // this process, known without probing its lock.
    Files.setLastModifiedTime(first.dir(), java.nio.file.attribute.FileTime.from(
        ProcessHandle.current().info().startInstant().orElseThrow().plusMillis(1)));
    ScanScratch second = new ScanScratch(root, "h1");
    assertThat(first.dir()).isDirectory();
    assertThat(second.dir()).isDirectory();
  }

  private static void old(Path folder) throws java.io.IOException {
    Files.setLastModifiedTime(folder, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
  }

  @Test
  void aPlainCopyHoldsTheSealedUploadsBytes() throws Exception {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    SealedMedia sealer = new TemplateCipher(key).media();
    byte[] video = new byte[200_000];
    new java.util.Random(3).nextBytes(video);
    Path plain = Files.write(root.resolve("in.upload"), video), sealed = root.resolve("in.upload.sealed");
    sealer.seal(plain, sealed);
    Path copy = new ScanScratch(root, "h").plainCopy(sealed, sealer);
    assertThat(copy.getParent().getFileName().toString()).startsWith("likeness-scan-h-" + ProcessHandle.current().pid() + "-");
    assertThat(Files.readAllBytes(copy)).isEqualTo(video);
  }
}
