package org.likeness.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.server.auth.Role;
import org.likeness.video.scan.ContentHash;

/** A key limited to one gallery reaches that gallery's scans, jobs and audit records, and nothing of another's. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class GalleryLimitsTest {
  private static FaceEngine engine;

  @BeforeAll
  static void open() {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static ServerTest.Running server(Path home) {
    ServerTest.Running s = new ServerTest.Running(home, ServerConfig.defaults(), engine);
    s.store.createGallery("watch", engine.pack().id(), engine.embedder().dimension());
    s.store.createGallery("other", engine.pack().id(), engine.embedder().dimension());
    return s;
  }

  private static ServerTest.Res get(ServerTest.Running s, String path, String key) throws Exception {
    return ServerTest.send(ServerTest.req(s.base + path, key).GET());
  }

  private static ServerTest.Res uploadVideo(ServerTest.Running s, String key, String query, byte[] video) throws Exception {
    return ServerTest.send(ServerTest.req(s.base + "/v1/videos?" + query, key).header("Content-Type", "video/mp4")
        .POST(HttpRequest.BodyPublishers.ofByteArray(video)));
  }

  private static JsonNode finished(ServerTest.Running s, String key, String job) throws Exception {
    for (int i = 0; i < 1200; i++) {
      JsonNode j = get(s, "/v1/jobs/" + job, key).json();
      if (List.of("done", "failed", "cancelled").contains(j.get("state").asText())) {
        return j;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("job " + job + " never finished");
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> f = Files.list(dir)) {
      return f.toList();
    }
  }

  @Test
  void anUploadOfAnotherGallerysVideoGetsItsOwnScan(@TempDir Path home) throws Exception {
    byte[] clip = ServerTest.bytes("examples/short_hamilton_clip.mp4");
    try (ServerTest.Running s = server(home)) {
      String mine = s.keys.create("watch-desk", Role.SEARCH, "watch").secret();
      String theirs = s.keys.create("other-desk", Role.SEARCH, "other").secret();
      // Gallery "other" scanned this clip before (stored here as the server would, with its kept copy).
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("media"))))
          .as("uploaded footage is the owner's only").isEqualTo("rwx------");
      Path kept = home.resolve("media").resolve("kept.upload");
      Files.write(kept, clip);
      StoredScan theirScan = s.store.repositories().scans().save(new ScanStore.NewMedia(ContentHash.sha256(kept), "video",
          "upload:their-name.mp4", clip.length, 2.0, 25.0, 64, 48, kept.toString()), engine.pack().id(), "other", 1.0, 2, null, List.of()).scan();

      ServerTest.Res accepted = uploadVideo(s, mine, "gallery=watch&fps=1&name=mine.mp4", clip);
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
      JsonNode done = finished(s, mine, accepted.json().get("id").asText());
      assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
      long myScan = done.get("scan").asLong();
      assertThat(myScan).as("the job made watch's own scan").isNotEqualTo(theirScan.id());
      assertThat(get(s, "/v1/scans/" + myScan, mine).json().get("gallery").asText()).isEqualTo("watch");

      assertThat(get(s, "/v1/scans/" + theirScan.id(), mine).status()).as("their scan stays out of reach").isEqualTo(403);
      assertThat(get(s, "/v1/scans/" + theirScan.id() + "/tracks/1/crop", mine).status()).isEqualTo(403);
      ServerTest.Res still = get(s, "/v1/scans/" + theirScan.id(), theirs);
      assertThat(still.status()).as("and theirs").isEqualTo(200);
      assertThat(still.json().get("gallery").asText()).isEqualTo("other");
      assertThat(get(s, "/v1/scans", mine).json().get("scans")).extracting(n -> n.get("scan").asLong()).containsExactly(myScan);
      assertThat(files(home.resolve("media"))).as("one stored copy of the bytes").containsExactly(kept);
    }
  }
  @Test
  void aGalleryAdminReadsOnlyItsGallerysAuditRecords(@TempDir Path home) throws Exception {
    try (ServerTest.Running s = server(home)) {
      String watchAdmin = s.keys.create("watch-admin", Role.ADMIN, "watch").secret();
      s.audit.append("k1", "enroll", "watch", java.util.Map.of("subject", "a"), java.util.Map.of());
      s.audit.append("k2", "enroll", "other", java.util.Map.of("subject", "secret-person"), java.util.Map.of());
      s.audit.append("k3", "detect", null, java.util.Map.of(), java.util.Map.of());
      ServerTest.Res mine = get(s, "/v1/audit", watchAdmin);
      assertThat(mine.status()).isEqualTo(200);
      String[] lines = mine.body().split("\n");
      assertThat(lines).hasSize(1);
      assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[0]).get("gallery").asText()).isEqualTo("watch");
      assertThat(mine.body()).doesNotContain("secret-person", "\"other\"", "detect");
      ServerTest.Res all = get(s, "/v1/audit", s.admin);
      assertThat(all.body()).contains("secret-person", "detect", "\"audit.export\"");
      assertThat(all.body().split("\n")).as("3 records, the limited export (audited under its gallery)").hasSize(4);
      assertThat(get(s, "/v1/audit", watchAdmin).body().split("\n")).as("its own export is about its gallery").hasSize(2);
    }
  }

  @Test
  void aKeyCannotBeLimitedToAGalleryThatDoesNotExist(@TempDir Path home) throws Exception {
    try (ServerTest.Running s = server(home)) {
      ServerTest.Res r = ServerTest.send(ServerTest.json(ServerTest.req(s.base + "/v1/keys", s.admin),
          "{\"name\":\"x\",\"role\":\"search\",\"gallery\":\"nosuch\"}"));
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(s.keys.list()).noneMatch(k -> "nosuch".equals(k.gallery()));
      assertThat(ServerTest.send(ServerTest.json(ServerTest.req(s.base + "/v1/keys", s.admin),
          "{\"name\":\"x\",\"role\":\"search\",\"gallery\":\"watch\"}")).status()).isEqualTo(201);
    }
  }

  @Test
  void aLimitedKeysUploadIsItsGallerysAndItsOwnScansCanBeRescanned(@TempDir Path home) throws Exception {
    try (ServerTest.Running s = server(home)) {
      String mine = s.keys.create("watch-desk", Role.SEARCH, "watch").secret();
      // No gallery named: the key's own, so the key can follow its job; a failure names the upload, not the server's file.
      byte[] junk = java.util.Arrays.copyOf(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 5000);
      ServerTest.Res accepted = uploadVideo(s, mine, "name=junk.mp4", junk);
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
      assertThat(accepted.json().get("gallery").asText()).isEqualTo("watch");
      JsonNode failed = finished(s, mine, accepted.json().get("id").asText());
      assertThat(failed.get("state").asText()).isEqualTo("failed");
      assertThat(failed.get("error").asText()).contains("junk.mp4", "not a readable video")
          .doesNotContain(home.toString(), ".upload");

      StoredScan own = s.store.repositories().scans().save(new ScanStore.NewMedia("cd".repeat(32), "video", "upload:own.mp4", 10, 1.0, 25.0,
          64, 48, null), engine.pack().id(), "watch", 1.0, 2, null, List.of()).scan();
      ServerTest.Res rescan = ServerTest.send(ServerTest.req(s.base + "/v1/scans/" + own.id() + "/rescan", mine)
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(rescan.status()).as(rescan.body()).isEqualTo(200);
      assertThat(rescan.json().get("gallery").asText()).isEqualTo("watch");
      assertThat(ServerTest.send(ServerTest.req(s.base + "/v1/scans/" + own.id() + "/rescan?gallery=other", mine)
          .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(403);
    }
  }
}
