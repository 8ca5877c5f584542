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

  @Test
  void aScanServesOnlyTheContentItScanned(@TempDir Path home) throws Exception {
    byte[] clip = new byte[50_000];
    new Random(11).nextBytes(clip);
    Path outside = Files.createDirectories(home.resolve("elsewhere"));
    Path secret = Files.write(outside.resolve("template.key"), "not a video, the same length as one".getBytes());
    Path scanned = Files.write(outside.resolve("clip.mp4"), clip);
    try (ServerTest.Running s = new ServerTest.Running(home, ServerConfig.defaults(), engine)) {
      storedVideo(s, home, new byte[10]); // the gallery
      ScanStore scans = s.store.repositories().scans();
      // A row as a forged job output would write it: another file, with its length and any hash.
      long forged = scans.save(new ScanStore.NewMedia("cd".repeat(32), "video", "file:" + secret, Files.size(secret), 10.0, 25.0, 64, 48,
          null), engine.pack().id(), "watch", 5.0, 50, null, List.of()).scan().id();
      long real = scans.save(new ScanStore.NewMedia(org.likeness.video.scan.ContentHash.sha256(clip), "video", scanned.toString(),
          clip.length, 10.0, 25.0, 64, 48, null), engine.pack().id(), "watch", 5.0, 50, null, List.of()).scan().id();
      long photo = scans.save(new ScanStore.NewMedia("ef".repeat(32), "photo", secret.toString(), Files.size(secret), null, null, 64, 48,
          null), engine.pack().id(), "watch", null, 1, null, List.of()).scan().id();

      assertThat(get(videoUrl(s, forged), null).statusCode()).as("a file that is not the content scanned").isEqualTo(404);
      assertThat(get(s.base + ServerTest.send(ServerTest.req(s.base + "/v1/scans/" + photo, s.admin)).json().get("photoUrl").asText(), null)
          .statusCode()).isEqualTo(404);
      String url = videoUrl(s, real);
      assertThat(get(url, "bytes=0-99").body()).isEqualTo(Arrays.copyOfRange(clip, 0, 100));
      byte[] changed = clip.clone();
      changed[0] ^= 1;
      Files.write(scanned, changed); // same length, another content
      Files.setLastModifiedTime(scanned, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
      assertThat(get(url, "bytes=0-99").statusCode()).as("changed since it was checked").isEqualTo(404);
    }
  }

  private static String videoUrl(ServerTest.Running s, long scan) throws Exception {
    return s.base + ServerTest.send(ServerTest.req(s.base + "/v1/scans/" + scan, s.admin)).json().get("videoUrl").asText();
  }
}
