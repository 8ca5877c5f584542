package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.spark.S3Service;

/**
 * {@code spark scan} and {@code scans import} as a user runs them on media in an S3 bucket: a real
 * S3 service on loopback reached through {@code --conf spark.hadoop.fs.s3a.*}, the job read from and
 * written to the bucket, its scans imported once and naming the enrolled person.
 */
class SparkS3CliTest {

  private static String[] with(List<String> args, Map<String, String> conf) {
    List<String> all = new ArrayList<>(args);
    conf.forEach((k, v) -> {
      all.add("--conf");
      all.add(k + "=" + v);
    });
    return all.toArray(String[]::new);
  }

  @Test
  void aJobOnABucketIsScannedImportedOnceAndNamesTheEnrolled(@TempDir Path home, @TempDir Path objects) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIKENESS_HOME", home.toString());
    assertThat(CliContractTest.run(env, "gallery", "create", "watch").exit()).isZero();
    assertThat(CliContractTest.run(env, "enroll", "--gallery", "watch", "--subject", "Barack Obama",
        CliContractTest.photo("examples/obama.jpg")).exit()).isZero();
    try (S3Service s3 = new S3Service(objects, "archive")) {
      try (FileSystem fs = s3.fileSystem()) {
        for (String name : new String[] {"obama2.jpg", "biden.jpg", "short_hamilton_clip.mp4"}) {
          fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Path.of(CliContractTest.photo("examples/" + name)).toUri()),
              new org.apache.hadoop.fs.Path(s3.uri("/in/" + name)));
        }
      }
      Map<String, String> conf = s3.sparkSettings();
      CliContractTest.Run scan = CliContractTest.run(env, with(List.of("spark", "scan", s3.uri("/in"), "--out", s3.uri("/out"),
          "--gallery", "watch", "--master", "local[1]", "--fps", "2", "--json"), conf));
      assertThat(scan.exit()).as(scan.err()).isZero();
      JsonNode s = scan.json();
      assertThat(s.get("media").asInt()).isEqualTo(3);
      assertThat(s.get("failed").asInt()).isZero();
      assertThat(s.get("output").asText()).isEqualTo(s3.uri("/out"));
      assertThat(s.get("imported").get("stored").asInt()).isEqualTo(3);
      assertThat(s3.objects().blobExists("archive", "out/_likeness.json")).isTrue();

      CliContractTest.Run named = CliContractTest.run(env, "scans", "list", "--subject", "Barack Obama");
      assertThat(named.out()).contains(s3.uri("/in/obama2.jpg")).doesNotContain("biden.jpg");

      CliContractTest.Run again = CliContractTest.run(env, with(List.of("scans", "import", s3.uri("/out"), "--gallery", "watch", "--json"), conf));
      assertThat(again.exit()).as(again.err()).isZero();
      assertThat(again.json().get("stored").asInt()).as("importing twice stores once").isZero();
      assertThat(again.json().get("skipped").asInt()).isEqualTo(3);
      pagesPlayFootageFromTheBucket(home, conf, Path.of(CliContractTest.photo("examples/short_hamilton_clip.mp4")),
          Path.of(CliContractTest.photo("examples/obama2.jpg")));

      CliContractTest.Run misspelt = CliContractTest.run(env, "scans", "import", s3.uri("/out"), "--conf", "fs.s3a.endpoint=http://x");
      assertThat(misspelt.exit()).isEqualTo(Main.EXIT_INPUT);
      assertThat(misspelt.err()).contains("not a Spark setting").contains("spark.hadoop.fs.s3a.endpoint");
    }
  }

  /**
   * The review pages of the imported scans, on a server given the bucket's settings: the clip plays
   * from the bucket with seeking (a Range answered 206 with exactly those bytes) and the photo is
   * served as scanned; without the settings the server offers no player instead of failing.
   */
  private static void pagesPlayFootageFromTheBucket(Path home, Map<String, String> conf, Path clip, Path photo) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    Map<String, String> settings = new HashMap<>(conf);
    for (boolean withBucket : new boolean[] {true, false}) {
      try (org.likeness.engine.FaceEngine engine = new org.likeness.engine.FaceEngine(org.likeness.engine.model.ModelCache.fromEnvironment(
              System.getenv()).open(org.likeness.engine.model.ModelCache.DEFAULT_PACK), org.likeness.engine.EngineOptions.defaults());
          org.likeness.gallery.store.GalleryStore store = org.likeness.gallery.store.GalleryStore.open(home);
          org.likeness.server.auth.KeyStore keys = org.likeness.server.auth.KeyStore.open(home);
          org.likeness.gallery.audit.AuditLog audit = org.likeness.gallery.audit.AuditLog.open(home);
          org.likeness.server.LikenessServer server = new org.likeness.server.LikenessServer(engine, store, keys, audit,
              org.likeness.server.ServerConfig.defaults(), withBucket ? new HadoopMedia(SparkSettings.of("local", Map.of(), settings)) : org.likeness.server.http.MediaSource.NONE)) {
        String key = keys.create("ops-" + withBucket, org.likeness.server.auth.Role.ADMIN, null).secret();
        String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        JsonNode scans = get(http, base + "/v1/scans", key, null).json();
        for (JsonNode listed : scans.get("scans")) {
          JsonNode shown = get(http, base + "/v1/scans/" + listed.get("scan").asLong(), key, null).json();
          String path = listed.get("path").asText();
          assertThat(path).startsWith("s3a://");
          if (path.endsWith(".mp4")) {
            if (!withBucket) {
              assertThat(shown.path("videoUrl").isNull() || shown.path("videoUrl").isMissingNode()).as("no player without the bucket").isTrue();
              continue;
            }
            byte[] bytes = java.nio.file.Files.readAllBytes(clip);
            Got part = get(http, base + shown.get("videoUrl").asText(), null, "bytes=1000-1999");
            assertThat(part.status()).isEqualTo(206);
            assertThat(part.headers().firstValue("Content-Range")).contains("bytes 1000-1999/" + bytes.length);
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 2000));
            Got whole = get(http, base + shown.get("videoUrl").asText(), null, null);
            assertThat(whole.status()).isEqualTo(200);
            assertThat(whole.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("video/mp4"));
            assertThat(whole.body()).isEqualTo(bytes);
          } else if (path.endsWith("obama2.jpg") && withBucket) {
            Got got = get(http, base + shown.get("photoUrl").asText(), null, null);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.body()).isEqualTo(java.nio.file.Files.readAllBytes(photo));
          }
        }
      }
    }
  }

  private record Got(int status, java.net.http.HttpHeaders headers, byte[] body) {
    JsonNode json() throws java.io.IOException {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
    }
  }

  private static Got get(java.net.http.HttpClient http, String url, String key, String range) throws Exception {
    var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).GET();
    if (key != null) {
      b.header("X-API-Key", key);
    }
    if (range != null) {
      b.header("Range", range);
    }
    var r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    return new Got(r.statusCode(), r.headers(), r.body());
  }
}
