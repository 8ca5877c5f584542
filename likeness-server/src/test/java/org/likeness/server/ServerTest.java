package org.likeness.server;

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
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.store.TestStorage;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;
import org.likeness.server.http.Route;

/** The real server on loopback with the real engine and store. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static FaceEngine engine;

  @BeforeAll
  static void open() {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static Path photo(String rel) {
    return Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve(rel);
  }

  /** A running server with an admin, an enrol and a search key (the last limited to gallery "watch"). */
  static final class Running implements AutoCloseable {
    final GalleryStore store;
    final KeyStore keys;
    final AuditLog audit;
    final LikenessServer server;
    final String base;
    final String admin, enroll, search;

    Running(Path home, ServerConfig config) {
      this(home, config, engine);
    }

    Running(Path home, ServerConfig config, FaceEngine engine) {
      store = TestStorage.open(home);
      keys = KeyStore.open(TestStorage.database(home));
      audit = AuditLog.open(TestStorage.database(home));
      admin = keys.create("ops", Role.ADMIN, null).secret();
      enroll = keys.create("clerk", Role.ENROLL, null).secret();
      search = keys.create("analyst", Role.SEARCH, "watch").secret();
      server = new LikenessServer(engine, store, keys, audit, config);
      base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @Override
    public void close() {
      server.close();
      audit.close();
      keys.close();
      store.close();
    }
  }

  record Res(int status, String contentType, String body, HttpResponse<byte[]> raw) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  static Res send(HttpRequest.Builder b) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Res(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), new String(r.body(), StandardCharsets.UTF_8), r);
  }

  static HttpRequest.Builder req(String url, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    return key == null ? b : b.header("X-API-Key", key);
  }

  /** A multipart/form-data body of named files. */
  static HttpRequest.Builder multipart(HttpRequest.Builder b, Map<String, byte[]> files) {
    String boundary = "----likeness" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (var e : files.entrySet()) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"; filename=\"" + e.getKey()
          + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(e.getValue());
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return b.header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
  }

  static HttpRequest.Builder json(HttpRequest.Builder b, String body) {
    return b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
  }

  static byte[] bytes(String rel) throws Exception {
    return Files.readAllBytes(photo(rel));
  }

  @Test
  void keysRolesAndTheVerifyContract(@TempDir Path home) throws Exception {
    try (Running s = new Running(home, ServerConfig.defaults())) {
      Map<String, byte[]> pair = new LinkedHashMap<>();
      pair.put("image_a", bytes("examples/obama.jpg"));
      pair.put("image_b", bytes("examples/obama2.jpg"));
      Res none = send(multipart(req(s.base + "/v1/verify", null), pair));
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.contentType()).startsWith("application/problem+json");
      assertThat(send(multipart(req(s.base + "/v1/verify", "lk_bogus_key"), pair)).status()).isEqualTo(401);
      Res ok = send(multipart(req(s.base + "/v1/verify", s.search), pair));
      assertThat(ok.status()).isEqualTo(200);
      List<String> fields = new ArrayList<>();
      ok.json().fieldNames().forEachRemaining(fields::add);
      assertThat(fields).containsExactly("similarity", "match", "threshold", "fmr");
      assertThat(ok.json().get("match").asBoolean()).isTrue();
      // base64 JSON works too
      String b64 = "{\"image_a\":\"" + Base64.getEncoder().encodeToString(pair.get("image_a")) + "\",\"image_b\":\""
          + Base64.getEncoder().encodeToString(bytes("examples/biden.jpg")) + "\"}";
      Res diff = send(json(req(s.base + "/v1/verify", s.search), b64));
      assertThat(diff.json().get("match").asBoolean()).isFalse();
      // roles and gallery limits
      assertThat(send(json(req(s.base + "/v1/galleries", s.enroll), "{\"name\":\"watch\"}")).status()).isEqualTo(403);
      assertThat(send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"watch\"}")).status()).isEqualTo(201);
      assertThat(send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"other\"}")).status()).isEqualTo(201);
      Res enrol = send(multipart(req(s.base + "/v1/galleries/watch/subjects/obama/faces", s.search),
          Map.of("image", bytes("examples/obama.jpg"))));
      assertThat(enrol.status()).isEqualTo(403);
      assertThat(send(multipart(req(s.base + "/v1/galleries/watch/subjects/obama/faces", s.enroll),
          Map.of("image", bytes("examples/obama.jpg")))).status()).isEqualTo(201);
      Res ident = send(multipart(req(s.base + "/v1/identify?gallery=watch", s.search), Map.of("image", bytes("examples/two_people.jpg"))));
      assertThat(ident.status()).isEqualTo(200);
      Set<String> decisions = new HashSet<>();
      ident.json().get("faces").forEach(f -> decisions.add(f.get("decision").get("subject").isNull() ? "unknown" : f.get("decision").get("subject").asText()));
      assertThat(decisions).containsExactlyInAnyOrder("obama", "unknown");
      assertThat(send(multipart(req(s.base + "/v1/identify?gallery=other", s.search), Map.of("image", bytes("examples/obama.jpg"))))
          .status()).isEqualTo(403);
      // embeddings in: an embedding made elsewhere with the same pack is searched and compared directly
      float[] e = engine.mostProminent(engine.decode(photo("examples/obama2.jpg"))).orElseThrow().embedding();
      String arr = Arrays.toString(e);
      Res byEmbedding = send(json(req(s.base + "/v1/identify?gallery=watch", s.search), "{\"embedding\":" + arr + "}"));
      assertThat(byEmbedding.status()).as(byEmbedding.body()).isEqualTo(200);
      assertThat(byEmbedding.json().get("faces").get(0).get("decision").get("subject").asText()).isEqualTo("obama");
      Res vEmb = send(json(req(s.base + "/v1/verify", s.search), "{\"embedding_a\":" + arr + ",\"embedding_b\":" + arr + "}"));
      assertThat(vEmb.json().get("similarity").asDouble()).isGreaterThan(0.999);
      assertThat(send(json(req(s.base + "/v1/identify?gallery=watch", s.search), "{\"embedding\":[1,2,3]}")).status()).isEqualTo(400);
      // admin-only deletion; the deleted subject is gone from search
      assertThat(send(req(s.base + "/v1/galleries/watch/subjects/obama", s.enroll).DELETE()).status()).isEqualTo(403);
      assertThat(send(req(s.base + "/v1/galleries/watch/subjects/obama", s.admin).DELETE()).status()).isEqualTo(200);
      Res after = send(multipart(req(s.base + "/v1/identify?gallery=watch", s.search), Map.of("image", bytes("examples/obama.jpg"))));
      assertThat(after.json().get("faces").get(0).get("decision").get("subject").isNull()).isTrue();
      // revoked keys stop working
      String id = s.search.substring(3, s.search.indexOf('_', 3));
      assertThat(s.keys.revoke(id)).isTrue();
      assertThat(send(multipart(req(s.base + "/v1/verify", s.search), pair)).status()).isEqualTo(401);
      // a live key id with a wrong secret costs a slow hash once; straight after, 429 without one
      String wrong = s.enroll.substring(0, s.enroll.length() - 4) + "xxxx";
      assertThat(send(req(s.base + "/v1/galleries", wrong).GET()).status()).isEqualTo(401);
      Res paused = send(req(s.base + "/v1/galleries", wrong).GET());
      assertThat(paused.status()).as(paused.body()).isEqualTo(429);
      assertThat(paused.raw().headers().firstValue("Retry-After")).isPresent();
    }
  }

  @Test
  void subjectShowRenameAndGalleryExport(@TempDir Path home) throws Exception {
    try (Running s = new Running(home, ServerConfig.defaults())) {
      send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"watch\"}"));
      assertThat(send(multipart(req(s.base + "/v1/galleries/watch/subjects/biden/faces", s.enroll),
          Map.of("image", bytes("examples/biden.jpg")))).status()).isEqualTo(201);
      Res show = send(req(s.base + "/v1/galleries/watch/subjects/biden", s.search));
      assertThat(show.status()).as(show.body()).isEqualTo(200);
      JsonNode face = show.json().get("faceList").get(0);
      assertThat(face.get("imageSha256").asText()).hasSize(64);
      assertThat(face.has("template")).isFalse();
      HttpRequest.Builder patch = req(s.base + "/v1/galleries/watch/subjects/biden", s.search)
          .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"joe_biden\"}"));
      assertThat(send(patch).status()).isEqualTo(403); // search may not rename
      Res renamed = send(req(s.base + "/v1/galleries/watch/subjects/biden", s.enroll)
          .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"joe_biden\"}")));
      assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
      assertThat(renamed.json().get("name").asText()).isEqualTo("joe_biden");
      Res badName = send(req(s.base + "/v1/galleries/watch/subjects/joe_biden", s.enroll)
          .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"../etc\"}")));
      assertThat(badName.status()).isBetween(400, 499);
      Res ident = send(multipart(req(s.base + "/v1/identify?gallery=watch", s.search), Map.of("image", bytes("examples/biden.jpg"))));
      assertThat(ident.json().get("faces").get(0).get("decision").get("subject").asText()).isEqualTo("joe_biden");
      assertThat(send(req(s.base + "/v1/galleries/watch/export", s.enroll)).status()).isEqualTo(403);
      Res export = send(req(s.base + "/v1/galleries/watch/export", s.admin));
      assertThat(export.status()).isEqualTo(200);
      assertThat(export.json().get("pack").asText()).isEqualTo(engine.pack().id());
      assertThat(export.body()).contains("joe_biden");
      assertThat(export.raw().headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"watch.likeness.json\"");
      java.io.StringWriter trail = new java.io.StringWriter();
      s.audit.export(trail);
      assertThat(trail.toString()).contains("\"operation\":\"rename\"", "\"operation\":\"gallery.export\"");
    }
  }

  @Test
  void evidenceReportsAreIssuedAuditedAndVerified(@TempDir Path home) throws Exception {
    try (Running s = new Running(home, ServerConfig.defaults())) {
      send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"watch\"}"));
      send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"other\"}"));
      HttpRequest.Builder keep = req(s.base + "/v1/galleries/watch", s.admin).header("Content-Type", "application/json")
          .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"keepCrops\":true}"));
      Res kept = send(keep);
      assertThat(kept.status()).as(kept.body()).isEqualTo(200);
      assertThat(send(req(s.base + "/v1/galleries/watch", s.enroll).header("Content-Type", "application/json")
          .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"keepCrops\":false}"))).status()).as("settings are an admin's").isEqualTo(403);
      assertThat(send(multipart(req(s.base + "/v1/galleries/watch/subjects/biden/faces", s.enroll),
          Map.of("image", bytes("examples/biden.jpg")))).status()).isEqualTo(201);
      assertThat(send(multipart(req(s.base + "/v1/galleries/other/subjects/obama/faces", s.enroll),
          Map.of("image", bytes("examples/obama.jpg")))).status()).isEqualTo(201);
      Res pdf = send(req(s.base + "/v1/galleries/watch/subjects/biden/report", s.search));
      assertThat(pdf.status()).as(pdf.body()).isEqualTo(200);
      assertThat(pdf.contentType()).isEqualTo("application/pdf");
      assertThat(pdf.raw().headers().firstValue("X-Likeness-Digest").orElseThrow()).hasSize(64);
      Res html = send(req(s.base + "/v1/galleries/watch/subjects/biden/report?format=html", s.search));
      assertThat(html.contentType()).startsWith("text/html");
      assertThat(html.body()).contains("Likeness evidence report: biden", "1 enrolled faces; 1 with their crop kept for review");
      assertThat(send(req(s.base + "/v1/galleries/watch/subjects/biden/report?format=doc", s.search)).status()).isEqualTo(400);
      assertThat(send(req(s.base + "/v1/galleries/watch/subjects/nobody/report", s.search)).status()).isEqualTo(404);
      assertThat(send(req(s.base + "/v1/galleries/other/subjects/obama/report", s.search)).status())
          .as("a key limited to another gallery").isEqualTo(403);
      Res ok = send(multipart(req(s.base + "/v1/reports/verify", s.search), Map.of("report", pdf.raw().body())));
      assertThat(ok.status()).as(ok.body()).isEqualTo(200);
      assertThat(ok.json().get("ok").asBoolean()).as(ok.body()).isTrue();
      byte[] changed = html.raw().body().clone();
      changed[changed.length - 10] ^= 1;
      Res bad = send(multipart(req(s.base + "/v1/reports/verify", s.search), Map.of("report", changed)));
      assertThat(bad.json().get("ok").asBoolean()).isFalse();
      assertThat(bad.json().get("problems").get(0).asText()).startsWith("altered");
      Res other = send(req(s.base + "/v1/galleries/other/subjects/obama/report", s.admin));
      assertThat(send(multipart(req(s.base + "/v1/reports/verify", s.search), Map.of("report", other.raw().body()))).status())
          .as("verifying another gallery's report with a limited key").isEqualTo(403);
      java.io.StringWriter trail = new java.io.StringWriter();
      s.audit.export(trail);
      assertThat(trail.toString()).contains("\"operation\":\"report.issue\"");
    }
  }

  @Test
  void auditTrailRecordsOperationsAndDetectsTampering(@TempDir Path home) throws Exception {
    try (Running s = new Running(home, ServerConfig.defaults())) {
      send(multipart(req(s.base + "/v1/detect", s.admin), Map.of("image", bytes("examples/two_people.jpg"))));
      send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"watch\"}"));
      send(multipart(req(s.base + "/v1/galleries/watch/subjects/biden/faces", s.admin), Map.of("image", bytes("examples/biden.jpg"))));
      send(multipart(req(s.base + "/v1/identify?gallery=watch", s.admin), Map.of("image", bytes("examples/biden.jpg"))));
      AuditLog.Verification v = s.audit.verify();
      assertThat(v.intact()).isTrue();
      assertThat(v.records()).isEqualTo(4);
      Res export = send(req(s.base + "/v1/audit", s.admin));
      String[] lines = export.body().split("\n");
      assertThat(lines).hasSize(4);
      JsonNode identify = JSON.readTree(lines[3]);
      assertThat(identify.get("operation").asText()).isEqualTo("identify");
      assertThat(identify.get("inputs").get("images").get(0).asText()).hasSize(64);
      assertThat(identify.get("results").get("faces").get(0).get("subjectId").asLong()).isPositive();
      assertThat(send(req(s.base + "/v1/audit", s.search)).status()).isEqualTo(403);
      java.io.StringWriter trail = new java.io.StringWriter();
      s.audit.export(trail);
      String[] all = trail.toString().split("\n");
      JsonNode denied = JSON.readTree(all[all.length - 1]); // a key overstepping its role is on the trail
      assertThat(denied.get("operation").asText()).isEqualTo("denied");
      assertThat(denied.get("key").asText()).isEqualTo(s.search.substring(3, s.search.indexOf('_', 3)));
      assertThat(denied.get("inputs").get("path").asText()).isEqualTo("/v1/audit");
      assertThat(denied.get("results").get("status").asInt()).isEqualTo(403);
      try (Connection c = TestStorage.database(home).connect(); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE audit SET results = '{\"faces\":[]}' WHERE seq = 2");
      }
      AuditLog.Verification broken = s.audit.verify();
      assertThat(broken.intact()).isFalse();
      assertThat(broken.firstBad()).isEqualTo(2);
      try (Connection c = TestStorage.database(home).connect(); Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM audit WHERE seq = 2");
      }
      assertThat(s.audit.verify().firstBad()).isEqualTo(2);
      assertThat(s.audit.verify().problem()).contains("missing");
    }
  }

  @Test
  void badInputGetsClearFourHundredsAndChangesNothing(@TempDir Path home) throws Exception {
    ServerConfig small = new ServerConfig(2L * 1024 * 1024, 8, 5);
    try (Running s = new Running(home, small)) {
      send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"watch\"}"));
      String enrolUrl = s.base + "/v1/galleries/watch/subjects/x/faces";
      byte[] full = bytes("examples/obama.jpg");
      Map<String, byte[]> cases = new LinkedHashMap<>();
      cases.put("not an image", "hello".getBytes(StandardCharsets.UTF_8));
      cases.put("empty", new byte[0]);
      cases.put("truncated", Arrays.copyOf(full, full.length / 2));
      cases.put("bomb", pngHeader(100_000, 100_000));
      for (var e : cases.entrySet()) {
        Res r = send(multipart(req(enrolUrl, s.admin), Map.of("image", e.getValue())));
        assertThat(r.status()).as(e.getKey() + ": " + r.body()).isBetween(400, 499);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("title").asText()).isNotBlank();
      }
      Res big = send(multipart(req(s.base + "/v1/detect", s.admin), Map.of("image", new byte[3 * 1024 * 1024])));
      assertThat(big.status()).isEqualTo(413);
      assertThat(send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\": ")).status()).isEqualTo(400);
      assertThat(send(json(req(s.base + "/v1/detect", s.admin), "{\"image\": \"%%%not base64%%%\"}")).status()).isEqualTo(400);
      Res unknown = send(multipart(req(s.base + "/v1/identify?gallery=nope", s.admin), Map.of("image", full)));
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.json().get("detail").asText()).contains("unknown gallery 'nope'");
      assertThat(unknown.json().get("title").asText()).isEqualTo("Not Found"); // mapped by type, not by message
      // A malformed name is the request's fault (400); a name in use is a conflict (409).
      assertThat(send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"a/b\"}")).status()).isEqualTo(400);
      assertThat(send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"bell\\u0007\"}")).status()).isEqualTo(400);
      Res taken = send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"watch\"}"));
      assertThat(taken.status()).isEqualTo(409);
      assertThat(taken.json().get("title").asText()).isEqualTo("Conflict");
      Res noRoute = send(req(s.base + "/v1/nothing-here", s.admin));
      assertThat(noRoute.status()).isEqualTo(404);
      assertThat(noRoute.json().get("title").asText()).isEqualTo("Not Found");
      // nothing stored changed, and the server still serves
      assertThat(s.store.counts(s.store.requireGallery("watch").id())).containsExactly(0, 0);
      assertThat(s.store.galleries()).hasSize(1);
      assertThat(send(multipart(req(s.base + "/v1/detect", s.admin), Map.of("image", full))).status()).isEqualTo(200);
    }
  }

  /** Randomised uploads (fixed seed): damaged real photos and junk never produce a 5xx or stop the server. */
  @Test
  void fuzzedUploadsNeverBreakTheServer(@TempDir Path home) throws Exception {
    try (Running s = new Running(home, ServerConfig.defaults())) {
      send(json(req(s.base + "/v1/galleries", s.admin), "{\"name\":\"watch\"}"));
      byte[][] seeds = {bytes("examples/obama_small.jpg"), bytes("examples/obama-240p.jpg")};
      Random rnd = new Random(4242);
      String[] urls = {"/v1/detect", "/v1/identify?gallery=watch", "/v1/galleries/watch/subjects/f/faces", "/v1/embed"};
      for (int i = 0; i < 60; i++) {
        byte[] data = seeds[i % 2].clone();
        for (int f = 0; f < 1 + rnd.nextInt(30); f++) {
          data[rnd.nextInt(data.length)] = (byte) rnd.nextInt(256);
        }
        if (rnd.nextBoolean()) {
          data = Arrays.copyOf(data, 1 + rnd.nextInt(data.length));
        }
        Res r = send(multipart(req(s.base + urls[i % urls.length], s.admin), Map.of("image", data)));
        assertThat(r.status()).as("case %d %s: %s", i, urls[i % urls.length], r.body()).isLessThan(500);
      }
      assertThat(send(req(s.base + "/v1/health", null)).status()).isEqualTo(200);
    }
  }

  @Test
  void fullEngineQueueAnswers503WithRetryAfter(@TempDir Path home) throws Exception {
    try (Running s = new Running(home, new ServerConfig(25L * 1024 * 1024, 1, 5))) {
      byte[] img = bytes("examples/obama-1080p.jpg");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Res>> fs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          fs.add(pool.submit(() -> send(multipart(req(s.base + "/v1/detect", s.admin), Map.of("image", img)))));
        }
        int ok = 0, busy = 0;
        for (Future<Res> f : fs) {
          Res r = f.get();
          if (r.status() == 200) {
            ok++;
          } else {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("1");
            busy++;
          }
        }
        assertThat(ok).isPositive();
        assertThat(busy).isPositive();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Keys over HTTP: created once with their secret, listed without it, revoked for good, every change audited. */
  @Test
  void keysAreManagedByAnUnlimitedAdminOnly(@TempDir Path home) throws Exception {
    try (Running s = new Running(home, ServerConfig.defaults())) {
      Res created = send(json(req(s.base + "/v1/keys", s.admin), "{\"name\":\"desk\",\"role\":\"search\"}"));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String secret = created.json().get("secret").asText(), id = created.json().get("id").asText();
      assertThat(created.json().get("role").asText()).isEqualTo("search");
      assertThat(send(req(s.base + "/v1/galleries", secret)).status()).isEqualTo(200);
      Res self = send(req(s.base + "/v1/keys/self", secret)); // what a page asks to know what to offer
      assertThat(self.status()).isEqualTo(200);
      assertThat(self.json().get("id").asText()).isEqualTo(id);
      assertThat(self.json().get("role").asText()).isEqualTo("search");
      assertThat(self.body()).doesNotContain(secret.substring(secret.indexOf('_', 3) + 1));
      assertThat(send(req(s.base + "/v1/keys/self", null)).status()).isEqualTo(401);
      Res listed = send(req(s.base + "/v1/keys", s.admin));
      assertThat(listed.body()).contains(id).doesNotContain(secret.substring(secret.indexOf('_', 3) + 1));
      assertThat(send(req(s.base + "/v1/keys", s.search)).status()).isEqualTo(403);
      assertThat(send(json(req(s.base + "/v1/keys", s.admin), "{\"name\":\"x\",\"role\":\"root\"}")).status()).isEqualTo(400);
      String limitedAdmin = s.keys.create("gallery-admin", Role.ADMIN, "watch").secret();
      assertThat(send(json(req(s.base + "/v1/keys", limitedAdmin), "{\"name\":\"x\",\"role\":\"admin\"}")).status())
          .as("a gallery-limited admin cannot mint an unlimited key").isEqualTo(403);
      assertThat(send(req(s.base + "/v1/keys/" + id, s.admin).DELETE()).status()).isEqualTo(200);
      assertThat(send(req(s.base + "/v1/galleries", secret)).status()).isEqualTo(401);
      Res again = send(req(s.base + "/v1/keys/" + id, s.admin).DELETE());
      assertThat(again.status()).isEqualTo(404);
      assertThat(again.json().get("title").asText()).isEqualTo("Not Found");
      java.io.StringWriter trail = new java.io.StringWriter();
      s.audit.export(trail);
      assertThat(trail.toString()).contains("keys.create", "keys.revoke").doesNotContain(secret);
    }
  }

  /** Every route is in the OpenAPI document with its method, and the document names no other. */
  @Test
  void openApiDocumentMatchesTheRoutes(@TempDir Path home) throws Exception {
    try (Running s = new Running(home, ServerConfig.defaults())) {
      Res doc = send(req(s.base + "/v1/openapi.json", null));
      assertThat(doc.status()).isEqualTo(200);
      JsonNode root = doc.json();
      assertThat(root.get("openapi").asText()).isEqualTo("3.1.0");
      Set<String> documented = new HashSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.get("paths").fields(); it.hasNext(); ) {
        var e = it.next();
        e.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + e.getKey()));
        e.getValue().fields().forEachRemaining(op -> {
          JsonNode role = op.getValue().get("x-role");
          Route r = s.server.routes().stream().filter(x -> x.path().equals(e.getKey()) && x.method().equalsIgnoreCase(op.getKey()))
              .findFirst().orElseThrow();
          assertThat(role == null ? null : role.asText()).isEqualTo(r.role() == null ? null : r.role().name().toLowerCase());
        });
      }
      Set<String> served = new HashSet<>();
      s.server.routes().forEach(r -> served.add(r.method() + " " + r.path()));
      assertThat(documented).isEqualTo(served);
    }
  }

  static byte[] pngHeader(int w, int h) {
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
        .put((byte) 0).put((byte) 0);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ihdr.array());
    java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(33);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    return png.array();
  }
}
