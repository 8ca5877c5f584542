package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;

/** Media are shared by content, scans belong to their gallery: one gallery's scan is never replaced, found or moved by another's. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ScanOwnershipTest {
  private static final String SHA = "ab".repeat(32);
  private static final String PACK = "pack";

  private static List<StoredSighting.New> one() {
    return List.of(new StoredSighting.New(1, 0.0, 1.0, 3, 0.5, new Box(1, 2, 30, 40), "{}", "[]", new float[] {1, 0}, null, null));
  }

  private static ScanStore.NewMedia media(String storedFile) {
    return new ScanStore.NewMedia(SHA, "video", "upload:clip.mp4", 1000, 1.0, 25.0, 64, 48, storedFile);
  }

  @Test
  void eachGalleryHasItsOwnScanOfSharedMedia(@TempDir Path home) {
    try (GalleryStore store = TestStorage.open(home)) {
      ScanStore scans = store.repositories().scans();
      StoredScan g2 = scans.save(media("/m/first.upload"), PACK, "g2", 5.0, 10, null, one()).scan();
      StoredScan g1 = scans.save(media("/m/second.upload"), PACK, "g1", 5.0, 10, null, one()).scan();
      assertThat(g1.id()).isNotEqualTo(g2.id());
      assertThat(scans.scan(g2.id())).as("g1's scan does not replace g2's").hasValueSatisfying(s -> assertThat(s.gallery()).isEqualTo("g2"));
      assertThat(scans.sightings(g2.id())).hasSize(1);
      assertThat(g1.media().id()).as("one media row").isEqualTo(g2.media().id());
      assertThat(g1.media().storedFile()).as("the copy already kept stays the copy").isEqualTo("/m/first.upload");
      assertThat(scans.scanOf(SHA, PACK, "g1")).map(StoredScan::id).hasValue(g1.id());
      assertThat(scans.scanOf(SHA, PACK, "g2")).map(StoredScan::id).hasValue(g2.id());
      assertThat(scans.scanOf(SHA, PACK, null)).isEmpty();
      assertThat(scans.scanOf(SHA, PACK, "g3")).isEmpty();

      StoredScan again = scans.save(media(null), PACK, "g1", 5.0, 10, null, one()).scan();
      assertThat(again.id()).as("a gallery's new scan of the media is its own scan, id kept").isEqualTo(g1.id());
      assertThat(scans.scan(g2.id())).isPresent();
      StoredScan none = scans.save(media(null), PACK, null, 5.0, 10, null, one()).scan();
      assertThat(scans.scans()).extracting(StoredScan::id).containsExactlyInAnyOrder(g2.id(), again.id(), none.id());

      assertThatThrownBy(() -> scans.identified(g2.id(), "g1", Map.of()))
          .as("moving g2's scan onto g1's own").isInstanceOf(ConflictException.class);
      scans.identified(none.id(), "g3", Map.of());
      assertThat(scans.requireScan(none.id()).gallery()).isEqualTo("g3");

      assertThat(scans.delete(g2.id())).as("the media is still another scan's").isNull();
      assertThat(scans.delete(again.id())).isNull();
      assertThat(scans.delete(none.id())).as("the last scan takes the copy with it").isEqualTo("/m/first.upload");
    }
  }

  @Test
  void eachGallerysScanKeepsItsOwnNameForTheMedia(@TempDir Path home) {
    try (GalleryStore store = TestStorage.open(home)) {
      ScanStore scans = store.repositories().scans();
      StoredScan theirs = scans.save(new ScanStore.NewMedia(SHA, "video", "upload:raid-suspects.mp4", 1000, 1.0, 25.0, 64, 48, null),
          PACK, "g2", 5.0, 10, null, one()).scan();
      StoredScan mine = scans.save(new ScanStore.NewMedia(SHA, "video", "upload:holiday.mp4", 1000, 1.0, 25.0, 64, 48, null),
          PACK, "g1", 5.0, 10, null, one()).scan();
      assertThat(scans.requireScan(mine.id()).media().path()).isEqualTo("upload:holiday.mp4");
      assertThat(scans.requireScan(theirs.id()).media().path()).as("g1's upload does not rename g2's media").isEqualTo("upload:raid-suspects.mp4");
      StoredScan copied = scans.copyFor(theirs.id(), "g3", "upload:third.mp4");
      assertThat(copied.media().path()).isEqualTo("upload:third.mp4");
      assertThat(scans.requireScan(theirs.id()).media().path()).isEqualTo("upload:raid-suspects.mp4");
    }
  }

  @Test
  void aVersionFiveDatabaseKeepsItsScansSightingsAndIds(@TempDir Path home) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(TestStorage.postgres(), "SQLite's own migrations from older releases");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve(GalleryStore.FILE)); Statement s = c.createStatement()) {
      s.execute("PRAGMA foreign_keys = ON");
      for (List<String> migration : Schema.SQLITE.subList(0, 5)) {
        for (String stmt : migration) {
          s.execute(stmt);
        }
      }
      s.execute("PRAGMA user_version = 5");
      s.execute("INSERT INTO media (id, sha256, kind, path, bytes, width, height, created) VALUES (1, 'm', 'photo', 'p', 1, 1, 1, '2026-01-01T00:00:00Z')");
      for (int id = 4; id <= 5; id++) {
        s.execute("INSERT INTO scan (id, media_id, pack_id, gallery, sampled_frames, created) VALUES (" + id + ", 1, 'pack" + id
            + "', 'g', 1, '2026-01-01T00:00:00Z')");
      }
      s.execute("INSERT INTO sighting (id, scan_id, number, samples, box_x, box_y, box_w, box_h, quality, boxes, template) "
          + "VALUES (9, 4, 1, 1, 0, 0, 1, 1, '{}', '[]', X'0000803F00000000')");
      s.execute("INSERT INTO cluster (id, pack_id, created, updated) VALUES (1, 'pack4', 't', 't')");
      s.execute("INSERT INTO cluster_member (sighting_id, cluster_id) VALUES (9, 1)");
      s.execute("DELETE FROM scan WHERE id = 5"); // the counter stays at 5
    }
    try (GalleryStore store = TestStorage.open(home)) {
      ScanStore scans = store.repositories().scans();
      assertThat(scans.scan(4)).isPresent();
      assertThat(scans.sightings(4)).extracting(StoredSighting::id).containsExactly(9L);
      assertThat(((JdbcGalleryStore) store).sql.query("SELECT COUNT(*) FROM cluster_member", r -> r.getInt(1))).containsExactly(1);
      assertThat(store.integrityCheck()).isEqualTo("ok");
      StoredScan next = scans.save(new ScanStore.NewMedia("n", "photo", "q", 1, null, null, 1, 1, null), "pack4", "g", null, 1, null,
          List.of()).scan();
      assertThat(next.id()).as("scan ids are never reused").isGreaterThan(5);
      scans.delete(4);
      assertThat(((JdbcGalleryStore) store).sql.query("SELECT COUNT(*) FROM sighting", r -> r.getInt(1))).as("foreign keys are on again").containsExactly(0);
    }
  }
}
