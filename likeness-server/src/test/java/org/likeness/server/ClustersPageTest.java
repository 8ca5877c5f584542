package org.likeness.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.TestStorage;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.scan.MediaWalk;
import org.likeness.video.scan.ScanService;

/**
 * Unknown faces over REST (roles, gallery-limited keys refused, naming and appearances), then the page end to end in headless Chromium (web-tests/clusters.mjs) on real scans:
 * the knn_examples photos and the Hamilton clip, scanned without a gallery and clustered.
 * Screenshots in target/web-screenshots/clusters.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ClustersPageTest {

  @Test
  void reviewClustersInTheBrowser(@TempDir Path home, @TempDir Path media) throws Exception {
    try (FaceEngine engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK),
            EngineOptions.defaults());
        GalleryStore store = TestStorage.open(home); KeyStore keys = KeyStore.open(TestStorage.database(home)); AuditLog audit = AuditLog.open(TestStorage.database(home))) {
      GalleryService galleries = new GalleryService(store, audit, engine);
      galleries.create("setup", "watch");
      ScanService scans = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
      Files.copy(ServerTest.photo("examples/short_hamilton_clip.mp4"), media.resolve("hamilton.mp4"));
      var found = MediaWalk.walk(java.util.List.of(ServerTest.photo("examples/knn_examples"), media));
      for (MediaWalk.Item it : found.media()) {
        scans.scan("setup", it.path(), it.path().toString(), it.kind(), null, new ScanService.Options(5, null, 5, false), null,
            (t, i) -> { });
      }
      try (ClusterService c = new ClusterService(store, galleries, audit, engine.pack().id(), engine.embedder().dimension(),
          ClusterThresholds.forPack(engine.pack()))) {
        c.update("setup");
      }
      String reviewer = keys.create("reviewer", Role.ENROLL, null).secret();
      try (LikenessServer server = new LikenessServer(engine, store, keys, audit, ServerConfig.defaults())) {
        int port = server.start("127.0.0.1", 0);
        restChecks("http://127.0.0.1:" + port, reviewer, keys.create("desk", Role.ENROLL, "watch").secret(),
            keys.create("viewer", Role.READ, null).secret());
        Path out = Path.of("target", "web-screenshots", "clusters").toAbsolutePath();
        Path script = Path.of("..", "web-tests", "clusters.mjs").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + port, reviewer, out.toString())
            .directory(script.getParent().toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("clusters page OK");
      } finally {
        galleries.close();
      }
    }
  }

  /** The REST surface the page uses, checked directly: roles, limited keys, name, appearances by subject and by photo, undo. */
  private static void restChecks(String base, String enrol, String limited, String read) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.function.BiFunction<String, String, java.net.http.HttpRequest.Builder> req = (path, key) ->
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).header("X-API-Key", key);
    var list = http.send(req.apply("/v1/clusters", read).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(http.send(req.apply("/v1/clusters", limited).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        .statusCode()).as("unknown faces span every scan: a gallery-limited key is refused").isEqualTo(403);
    assertThat(http.send(req.apply("/v1/clusters/undo", read).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).as("decisions need the enrol role").isEqualTo(403);
    // The largest cluster of photos is Obama's (four photos of him among the knn_examples).
    long obama = -1;
    for (var c : json.readTree(list.body()).get("clusters")) {
      var shown = json.readTree(http.send(req.apply("/v1/clusters/" + c.get("cluster").asText(), read).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      boolean all = shown.get("faces").size() >= 3;
      for (var f : shown.get("faces")) {
        all &= f.get("media").get("path").asText().contains("obama");
      }
      if (all) {
        obama = c.get("cluster").asLong();
      }
    }
    assertThat(obama).isPositive();
    var named = http.send(req.apply("/v1/clusters/" + obama + "/name", enrol).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"subject\":\"obama\",\"gallery\":\"watch\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
    var bySubject = json.readTree(http.send(req.apply("/v1/appearances?subject=obama", enrol).GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body());
    assertThat(bySubject.get("total").asInt()).isGreaterThanOrEqualTo(4);
    byte[] photo = Files.readAllBytes(ServerTest.photo("examples/obama-480p.jpg"));
    var byFace = http.send(ServerTest.multipart(req.apply("/v1/appearances", enrol), java.util.Map.of("image", photo)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(byFace.statusCode()).as(byFace.body()).isEqualTo(200);
    assertThat(byFace.body()).contains("/obama.jpg").doesNotContain("/biden.jpg", "/biden2.jpg");
    var undo = http.send(req.apply("/v1/clusters/undo", enrol).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(json.readTree(undo.body()).get("action").asText()).isEqualTo("name");
  }
}
