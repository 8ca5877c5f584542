package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;

/**
 * Key rotation re-seals enrolled templates and crops, sightings' templates and crops, and kept
 * media; afterwards only the new key opens them, and a second run (as after a crash) changes nothing.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class KeyRotationTest {
  private static final String SHA = "ab".repeat(32);

  private static TemplateCipher key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return new TemplateCipher(k);
  }

  @Test
  void everythingSealedMovesToTheNewKey(@TempDir Path home) throws Exception {
    TemplateCipher a = key(), b = key();
    byte[] video = new byte[200_000];
    new SecureRandom().nextBytes(video);
    Path upload = Files.write(Files.createDirectories(home.resolve("media")).resolve("x.upload"), video);
    long gallery, scan, media;
    try (GalleryStore store = TestStorage.open(home, a)) {
      gallery = store.createGallery("g", "pack", 2).id();
      long subject = store.ensureSubject(gallery, "s", null, null).id();
      store.addFace(gallery, subject, SHA, new Box(1, 2, 3, 4), "{}", new float[] {0.6f, 0.8f}, new byte[] {1, 2, 3});
      ScanStore scans = store.repositories().scans();
      StoredScan s = scans.save(new ScanStore.NewMedia(SHA, "video", "upload:x.mp4", video.length, 1.0, 25.0, 64, 48, upload.toString()),
          "pack", "g", 5.0, 10, null,
          List.of(new StoredSighting.New(1, 0.0, 1.0, 3, 0.5, new Box(1, 2, 30, 40), "{}", "[]", new float[] {1, 0}, new byte[] {9}, null)))
          .scan();
      scan = s.id();
      media = s.media().id();
      String sealed = scans.sealKept(media);
      assertThat(sealed).endsWith(".sealed");
      assertThat(Files.exists(upload)).isFalse();
      // held relative to the media folder: another mount point (or a copied database) still finds it
      try (java.sql.Connection c = TestStorage.database(home).connect(); java.sql.Statement st = c.createStatement();
          java.sql.ResultSet rs = st.executeQuery("SELECT stored_file FROM media")) {
        rs.next();
        assertThat(rs.getString(1)).matches("x\\.upload\\.[0-9a-f-]{36}\\.sealed");
      }
      // an upload waiting in the job queue, sealed when it was queued
      Path q = Files.write(home.resolve("media").resolve("q.upload"), Arrays.copyOf(video, 100_000));
      a.media().seal(q, home.resolve("media").resolve("q.upload.sealed"));
      Files.delete(q);
      store.repositories().jobs().add("j", "g", home.resolve("media").resolve("q.upload.sealed").toString(), "q.mp4", 5, "t");
    }

    KeyRotation.Result r = new KeyRotation(TestStorage.storage(home), a, b).run();
    assertThat(r).isEqualTo(new KeyRotation.Result(1, 1, 2, 0));
    assertThat(new KeyRotation(TestStorage.storage(home), a, b).run()).as("a second run finds everything rotated")
        .isEqualTo(new KeyRotation.Result(0, 0, 0, 4));
    assertThat(b.media().readAll(home.resolve("media").resolve("q.upload.sealed"))).as("the queued upload opens with the new key")
        .isEqualTo(Arrays.copyOf(video, 100_000));

    try (GalleryStore store = TestStorage.open(home, b)) {
      StoredFace f = store.facesOf(store.requireSubject(gallery, "s").id()).get(0);
      assertThat(f.template()).containsExactly(0.6f, 0.8f);
      assertThat(f.cropPng()).containsExactly(1, 2, 3);
      ScanStore scans = store.repositories().scans();
      assertThat(scans.sightings(scan).get(0).template()).containsExactly(1f, 0f);
      assertThat(scans.sightings(scan).get(0).cropPng()).containsExactly(9);
      Path kept = Path.of(scans.requireScan(scan).media().storedFile());
      assertThat(b.media().readAll(kept)).isEqualTo(video);
      assertThatThrownBy(() -> a.media().readAll(kept)).hasMessageContaining("does not open");
    }
    try (GalleryStore store = TestStorage.open(home, a)) {
      assertThatThrownBy(() -> store.facesOf(store.requireSubject(gallery, "s").id())).isInstanceOf(StoreException.class)
          .hasMessageContaining("does not decrypt");
    }
  }

  /**
   * Two jobs sealing the same kept media at once (same content, or a rotation while servers run):
   * whatever the interleaving, the row names one sealed file that exists, the plain file is gone,
   * both are told that file, and nothing else is left in the folder.
   */
  @Test
  void twoSealingsOfOneMediaLeaveOneSealedFile(@TempDir Path home) throws Exception {
    TemplateCipher a = key();
    byte[] video = new byte[300_000];
    new SecureRandom().nextBytes(video);
    Path folder = Files.createDirectories(home.resolve("media"));
    for (int round = 0; round < 5; round++) {
      Path upload = Files.write(folder.resolve("r" + round + ".upload"), video);
      try (GalleryStore store = TestStorage.open(home, a)) {
        ScanStore scans = store.repositories().scans();
        String sha = Integer.toHexString(round).repeat(64).substring(0, 64);
        long media = scans.save(new ScanStore.NewMedia(sha, "video", "upload:r.mp4", video.length, 1.0, 25.0, 64, 48, upload.toString()),
            "pack", null, 5.0, 10, null, List.of()).scan().media().id();
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
          var one = pool.submit(() -> { start.await(); return scans.sealKept(media); });
          var two = pool.submit(() -> { start.await(); return scans.sealKept(media); });
          start.countDown();
          String first = one.get(), second = two.get();
          assertThat(first).isEqualTo(second);
          assertThat(Path.of(first)).exists();
          assertThat(SealedMedia.isSealed(Path.of(first))).isTrue();
          assertThat(a.media().readAll(Path.of(first))).isEqualTo(video);
        } finally {
          pool.shutdown();
        }
        assertThat(upload).doesNotExist();
        String prefix = "r" + round + ".";
        try (var files = Files.list(folder)) {
          assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList()).hasSize(1);
        }
      }
    }
  }
}
