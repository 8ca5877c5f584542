package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database holds templates: its folder and files are created for their owner only. */
class StorePermissionsTest {

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void homeDatabaseWalAndShmAreOwnerOnly(@TempDir Path tmp) throws Exception {
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path home = tmp.resolve("likeness");
    try (GalleryStore store = GalleryStore.open(home)) {
      store.createGallery("g", "pack", 8); // a write: the WAL and its index exist now
      assertThat(mode(home)).isEqualTo("rwx------");
      assertThat(mode(home.resolve(GalleryStore.FILE))).isEqualTo("rw-------");
      assertThat(mode(home.resolve(GalleryStore.FILE + "-wal"))).isEqualTo("rw-------");
      assertThat(mode(home.resolve(GalleryStore.FILE + "-shm"))).isEqualTo("rw-------");
    }
  }
}
