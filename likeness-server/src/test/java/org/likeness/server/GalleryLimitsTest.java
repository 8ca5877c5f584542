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
      Path kept = Files.createDirectories(home.resolve("media")).resolve("kept.upload");
      Files.write(kept, clip);
      StoredScan theirScan = new ScanStore(s.store).save(new ScanStore.NewMedia(ContentHash.sha256(kept), "video",
          "upload:their-name.mp4", clip.length, 2.0, 25.0, 64, 48, kept.toString()), engine.pack().id(), "other", 1.0, 2, null, List.of());

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
}
