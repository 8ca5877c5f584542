package org.likeness.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;

/**
 * Broken multipart bodies (boundaries that do not match, are missing, cut short, or junk) are the
 * client's fault: 400 problem+json, never a 500. Randomized; the seed is printed, replay with
 * {@code -Dtests.seed=N}.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class MultipartFuzzTest {
  private static FaceEngine engine;

  @BeforeAll
  static void open() {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static byte[] body(String boundary, String field, byte[] content, String closing) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"x.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + closing + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static ServerTest.Res post(String url, String key, String contentType, byte[] body) throws Exception {
    return ServerTest.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("X-API-Key", key)
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  @Test
  void brokenBoundariesAreBadRequests(@TempDir Path home) throws Exception {
    try (ServerTest.Running s = new ServerTest.Running(home, ServerConfig.defaults(), engine)) {
      s.store.createGallery("watch", engine.pack().id(), engine.embedder().dimension());
      byte[] image = ServerTest.bytes("examples/obama_small.jpg");
      for (String url : List.of("/v1/detect", "/v1/videos?gallery=watch", "/v1/galleries/watch/subjects/x/faces")) {
        String field = url.startsWith("/v1/videos") ? "video" : "image";
        ServerTest.Res mismatch = post(s.base + url, s.admin, "multipart/form-data; boundary=expected",
            body("other", field, image, "other"));
        assertThat(mismatch.status()).as(url + ": " + mismatch.body()).isEqualTo(400);
        assertThat(mismatch.contentType()).startsWith("application/problem+json");
        ServerTest.Res noBoundary = post(s.base + url, s.admin, "multipart/form-data", body("b", field, image, "b"));
        assertThat(noBoundary.status()).as(url + ": " + noBoundary.body()).isEqualTo(400);
        ServerTest.Res unclosed = post(s.base + url, s.admin, "multipart/form-data; boundary=b", body("b", field, image, "nope"));
        assertThat(unclosed.status()).as(url + ": " + unclosed.body()).isEqualTo(400);
      }
    }
  }

  @Test
  void fuzzedMultipartNeverAnswers5xx(@TempDir Path home) throws Exception {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("MultipartFuzzTest seed: " + seed + " (replay with -Dtests.seed=" + seed + ")");
    Random rnd = new Random(seed);
    try (ServerTest.Running s = new ServerTest.Running(home, ServerConfig.defaults(), engine)) {
      s.store.createGallery("watch", engine.pack().id(), engine.embedder().dimension());
      byte[] image = ServerTest.bytes("examples/obama_small.jpg");
      String[] boundaries = {"b", "----likeness123", "a\"b", "", " ", "x".repeat(200), "é", "b;c", "--", "\"quoted\""};
      for (int i = 0; i < 80; i++) {
        String declared = boundaries[rnd.nextInt(boundaries.length)];
        String used = rnd.nextInt(3) == 0 ? boundaries[rnd.nextInt(boundaries.length)] : declared;
        String closing = rnd.nextInt(4) == 0 ? boundaries[rnd.nextInt(boundaries.length)] : used;
        byte[] body = body(used, "image", image, closing);
        switch (rnd.nextInt(4)) {
          case 0 -> body = java.util.Arrays.copyOf(body, rnd.nextInt(body.length + 1)); // cut short
          case 1 -> { // junk over the headers and boundaries
            for (int f = 0; f < 1 + rnd.nextInt(20); f++) {
              body[rnd.nextInt(Math.min(body.length, 200))] = (byte) rnd.nextInt(256);
            }
          }
          default -> { }
        }
        String type = switch (rnd.nextInt(5)) {
          case 0 -> "multipart/form-data";
          case 1 -> "multipart/form-data; boundary=\"" + declared + "\"";
          case 2 -> "multipart/mixed; boundary=" + declared;
          default -> "multipart/form-data; boundary=" + declared;
        };
        ServerTest.Res r = post(s.base + "/v1/detect", s.admin, type, body);
        assertThat(r.status()).as("seed %d case %d (%s): %s", seed, i, type, r.body()).isLessThan(500);
        if (r.status() >= 400) {
          assertThat(r.contentType()).as("seed %d case %d", seed, i).startsWith("application/problem+json");
        }
      }
      assertThat(ServerTest.send(ServerTest.req(s.base + "/v1/health", null)).status()).isEqualTo(200);
    }
  }
}
