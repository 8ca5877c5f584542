package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.server.LikenessServer;
import org.likeness.server.ServerConfig;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;

/**
 * Two real processes on one installation: the server runs in this JVM, the CLI in child JVMs.
 * Every change the CLI commits (enrol, rename, merge, move-face, delete) is in the server's next
 * answer, with the saved HNSW graph present, and a deleted face is in no saved graph afterwards.
 */
class CrossProcessChangesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aRunningServerSeesEveryChangeTheCliCommits(@TempDir Path home) throws Exception {
    try (FaceEngine engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK),
            EngineOptions.defaults());
        GalleryStore store = GalleryStore.open(home); KeyStore keys = KeyStore.open(home); AuditLog audit = AuditLog.open(home);
        LikenessServer server = new LikenessServer(engine, store, keys, audit, ServerConfig.defaults())) {
      String admin = keys.create("ops", Role.ADMIN, null).secret();
      String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
      assertThat(post(base + "/v1/galleries", admin, "{\"name\":\"g1\"}").statusCode()).isEqualTo(201);
      String probe = GalleryCliTest.photo("examples/obama2.jpg");
      assertThat(decision(identify(base, admin, probe))).as("empty gallery, cached by the server").isNull();

      // enrol in the other process, then build and save the HNSW graph there
      cli(home, "enroll", "--gallery", "g1", "--subject", "obama", GalleryCliTest.photo("examples/obama.jpg"));
      cli(home, "enroll", "--gallery", "g1", "--subject", "biden", GalleryCliTest.photo("examples/biden.jpg"));
      cli(home, "enroll", "--gallery", "g1", "--subject", "biden-2", GalleryCliTest.photo("examples/knn_examples/train/biden/biden2.jpg"));
      cli(home, "identify", "--gallery", "g1", "--method", "hnsw", probe, "--json");
      long galleryId = store.requireGallery("g1").id();
      Path graph = home.resolve("index").resolve(Long.toString(galleryId));
      assertThat(graph).as("the CLI saved its graph").isDirectory();
      assertThat(decision(identify(base, admin, probe))).isEqualTo("obama");

      cli(home, "subjects", "rename", "--gallery", "g1", "obama", "barack");
      assertThat(decision(identify(base, admin, probe))).isEqualTo("barack");

      cli(home, "subjects", "merge", "--gallery", "g1", "biden-2", "biden");
      JsonNode bidenSeen = identify(base, admin, GalleryCliTest.photo("examples/knn_examples/train/biden/biden2.jpg"));
      assertThat(decision(bidenSeen)).isEqualTo("biden");
      assertThat(candidates(bidenSeen)).doesNotContain("biden-2");

      JsonNode shown = JSON.readTree(cli(home, "subjects", "show", "--gallery", "g1", "barack", "--json"));
      long obamaFace = shown.get("faceList").get(0).get("id").asLong();
      cli(home, "subjects", "move-face", "--gallery", "g1", Long.toString(obamaFace), "someone");
      assertThat(decision(identify(base, admin, probe))).isEqualTo("someone");

      JsonNode deleted = JSON.readTree(cli(home, "subjects", "delete", "--gallery", "g1", "someone", "--json"));
      assertThat(deleted.get("facesDeleted").asInt()).isEqualTo(1);
      JsonNode after = identify(base, admin, probe);
      assertThat(decision(after)).as("the deleted subject is gone from the running server").isNull();
      assertThat(candidates(after)).doesNotContain("someone", "barack", "obama");
      assertThat(savedFaceIds(home)).doesNotContain(obamaFace);

      // the server's own next graph (built in the background after an HNSW search) leaves it out too
      identify(base, admin, probe);
      for (int i = 0; i < 300 && !Files.isDirectory(graph); i++) {
        Thread.sleep(100);
      }
      assertThat(graph).as("the server rebuilt and saved the graph").isDirectory();
      assertThat(savedFaceIds(home)).isNotEmpty().doesNotContain(obamaFace);
      assertThat(decision(identify(base, admin, probe))).isNull();
    }
  }

  /** Runs the CLI in a child JVM on the same installation; returns its stdout, failing on a non-zero exit. */
  static String cli(Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LIKENESS_HOME", home.toString());
    Path err = Files.createTempFile("likeness-cli", ".err");
    Process p = pb.redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    String stderr = Files.readString(err);
    Files.delete(err);
    assertThat(exit).as(String.join(" ", args) + ": " + stderr).isZero();
    return out;
  }

  /** Face ids held by every graph folder (live or half-built) under the installation's index folder. */
  static Set<Long> savedFaceIds(Path home) throws Exception {
    Set<Long> ids = new HashSet<>();
    Path index = home.resolve("index");
    if (!Files.isDirectory(index)) {
      return ids;
    }
    try (var dirs = Files.list(index)) {
      for (Path d : dirs.toList()) {
        try (FSDirectory dir = FSDirectory.open(d)) {
          if (!DirectoryReader.indexExists(dir)) {
            continue;
          }
          try (DirectoryReader r = DirectoryReader.open(dir)) {
            StoredFields stored = r.storedFields();
            for (int doc = 0; doc < r.maxDoc(); doc++) {
              ids.add(stored.document(doc).getField("id").numericValue().longValue());
            }
          }
        }
      }
    }
    return ids;
  }

  static JsonNode identify(String base, String key, String photo) throws Exception {
    String boundary = "----likeness" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.jpg\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(Files.readAllBytes(Path.of(photo)));
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/identify?gallery=g1&method=hnsw"))
        .header("X-API-Key", key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static HttpResponse<String> post(String url, String key, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The decided subject of the photo's one face, or null for unknown. */
  static String decision(JsonNode identified) {
    assertThat(identified.get("faces")).hasSize(1);
    JsonNode s = identified.get("faces").get(0).get("decision").get("subject");
    return s.isNull() ? null : s.asText();
  }

  static List<String> candidates(JsonNode identified) {
    List<String> out = new ArrayList<>();
    identified.get("faces").get(0).get("candidates").forEach(c -> out.add(c.get("subject").asText()));
    return out;
  }
}
