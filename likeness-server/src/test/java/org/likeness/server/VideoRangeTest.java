package org.likeness.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredScan;

/** A scan's video link answers Range requests by the book, and promptly, whatever the header says. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class VideoRangeTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int LEN = 600_000;
  private static FaceEngine engine;

  @BeforeAll
  static void open() {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  /** A stored video scan of {@code bytes} in gallery "watch", kept as an upload; returns its id. */
  static long storedVideo(ServerTest.Running s, Path home, byte[] bytes) throws Exception {
    if (s.store.gallery("watch").isEmpty()) {
      s.store.createGallery("watch", engine.pack().id(), engine.embedder().dimension());
    }
    Path file = Files.createDirectories(home.resolve("media")).resolve("clip.upload");
    Files.write(file, bytes);
    StoredScan scan = s.store.repositories().scans().save(new ScanStore.NewMedia("ab".repeat(32), "video", "upload:clip.mp4", bytes.length,
        10.0, 25.0, 64, 48, file.toString()), engine.pack().id(), "watch", 5.0, 50, null, List.of()).scan();
    return scan.id();
  }

  private static HttpResponse<byte[]> get(String url, String range) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    if (range != null) {
      b.header("Range", range);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void rangesByTheBook(@TempDir Path home) throws Exception {
    byte[] video = new byte[LEN];
    new Random(7).nextBytes(video);
    try (ServerTest.Running s = new ServerTest.Running(home, ServerConfig.defaults(), engine)) {
      long scan = storedVideo(s, home, video);
      String url = s.base + ServerTest.send(ServerTest.req(s.base + "/v1/scans/" + scan, s.admin)).json().get("videoUrl").asText();

      HttpResponse<byte[]> whole = get(url, null);
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
      assertThat(whole.body()).isEqualTo(video);

      HttpResponse<byte[]> part = get(url, "bytes=1000-1999");
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + LEN);
      assertThat(part.body()).isEqualTo(Arrays.copyOfRange(video, 1000, 2000));

      HttpResponse<byte[]> suffix = get(url, "bytes=-100");
      assertThat(suffix.statusCode()).isEqualTo(206);
      assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes " + (LEN - 100) + "-" + (LEN - 1) + "/" + LEN);
      assertThat(suffix.body()).as("the last 100 bytes").isEqualTo(Arrays.copyOfRange(video, LEN - 100, LEN));

      HttpResponse<byte[]> longSuffix = get(url, "bytes=-700000");
      assertThat(longSuffix.statusCode()).isEqualTo(206);
      assertThat(longSuffix.headers().firstValue("Content-Range")).hasValue("bytes 0-" + (LEN - 1) + "/" + LEN);
      assertThat(longSuffix.body()).isEqualTo(video);

      HttpResponse<byte[]> clamped = get(url, "bytes=599000-999999");
      assertThat(clamped.statusCode()).isEqualTo(206);
      assertThat(clamped.headers().firstValue("Content-Range")).hasValue("bytes 599000-" + (LEN - 1) + "/" + LEN);
      assertThat(clamped.body()).isEqualTo(Arrays.copyOfRange(video, 599000, LEN));

      for (String unsatisfiable : List.of("bytes=999999-", "bytes=99999999999999999999-", "bytes=600000-")) {
        HttpResponse<byte[]> r = get(url, unsatisfiable);
        assertThat(r.statusCode()).as(unsatisfiable).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).as(unsatisfiable).hasValue("bytes */" + LEN);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      }
      for (String ignored : List.of("bytes=abc", "bytes=100-50", "lines=1-2", "bytes=0-1,5-9")) {
        HttpResponse<byte[]> r = get(url, ignored);
        assertThat(r.statusCode()).as(ignored + " is ignored: the whole file").isEqualTo(200);
        assertThat(r.body()).as(ignored).isEqualTo(video);
      }
      // The server still answers at once after all of it (no thread left spinning on a bad range).
      assertThat(get(url, "bytes=0-0").body()).containsExactly(video[0]);
    }
  }
}
