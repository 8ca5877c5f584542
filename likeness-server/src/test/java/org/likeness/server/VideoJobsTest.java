package org.likeness.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.Gallery;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.TestStorage;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;

/**
 * Video jobs over REST with the real engine on the real Hamilton clip: upload, progress, the result
 * in the shape of {@code video scan}, roles and gallery-limited keys, Range serving through the
 * short-lived link, verdicts, deletion for real, the bounded queue, cancellation, and a restart that
 * loses no job.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class VideoJobsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static FaceEngine engine;
  private static byte[] clip;

  @BeforeAll
  static void open() throws Exception {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
    clip = Files.readAllBytes(ServerTest.photo("examples/short_hamilton_clip.mp4"));
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  /** The clip with {@code n} junk bytes after it: another content hash, the same video. */
  private static byte[] variant(int n) {
    return Arrays.copyOf(clip, clip.length + n);
  }

  /** A server on {@code home} with gallery "watch" (Miranda and Lacamoire, crops kept) and keys of every kind. */
  private static final class Server implements AutoCloseable {
    final GalleryStore store;
    final KeyStore keys;
    final AuditLog audit;
    final LikenessServer server;
    final String base;

    Server(Path home, ServerConfig config, boolean enrol) throws Exception {
      this(home, config, enrol, null);
    }

    Server(Path home, ServerConfig config, boolean enrol, org.likeness.gallery.store.TemplateCipher cipher) throws Exception {
      store = TestStorage.open(home, cipher);
      keys = KeyStore.open(TestStorage.database(home));
      audit = AuditLog.open(TestStorage.database(home));
      if (enrol) {
        store.createGallery("watch", engine.pack().id(), engine.embedder().dimension());
        store.createGallery("other", engine.pack().id(), engine.embedder().dimension());
        try (Gallery g = Gallery.open(store, "watch", new ForkJoinPool(2))) {
          Enroller e = new Enroller(engine, store, g, new Enroller.Options(true, true, Enroller.MultiFace.REJECT));
          e.enrollOne(new EnrollItem("lin_manuel_miranda", ServerTest.photo("examples/lin-manuel-miranda.png")));
          e.enrollOne(new EnrollItem("alex_lacamoire", ServerTest.photo("examples/alex-lacamoire.png")));
        }
      }
      server = new LikenessServer(engine, store, keys, audit, config);
      base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    String key(String name, Role role, String gallery) {
      return keys.create(name, role, gallery).secret();
    }

    @Override
    public void close() {
      server.close();
      audit.close();
      keys.close();
      store.close();
    }
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
  }

  private static HttpRequest.Builder req(String url, String key) {
    return HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", key);
  }

  private static HttpResponse<byte[]> upload(Server s, String key, String query, byte[] video) throws Exception {
    return send(req(s.base + "/v1/videos?" + query, key).header("Content-Type", "video/mp4")
        .POST(HttpRequest.BodyPublishers.ofByteArray(video)));
  }

  private static JsonNode waitFor(Server s, String key, String job, List<String> states) throws Exception {
    for (int i = 0; i < 1200; i++) {
      JsonNode j = json(send(req(s.base + "/v1/jobs/" + job, key).GET()));
      if (states.contains(j.get("state").asText())) {
        return j;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("job " + job + " never reached " + states);
  }

  @Test
  void uploadPollResultRangeVerdictDelete(@TempDir Path home) throws Exception {
    // Images are limited to 100 KB here; a 600 KB video is still accepted (its own limit).
    try (Server s = new Server(home, new ServerConfig(100 * 1024, 8, 5), true)) {
      String search = s.key("analyst", Role.SEARCH, "watch");
      String elsewhere = s.key("other-desk", Role.SEARCH, "other");
      String reader = s.key("viewer", Role.READ, null);
      String admin = s.key("ops", Role.ADMIN, null);
      assertThat(upload(s, reader, "gallery=watch", clip).statusCode()).as("uploading needs the search role").isEqualTo(403);
      assertThat(upload(s, elsewhere, "gallery=watch", clip).statusCode()).as("a key of another gallery").isEqualTo(403);
      assertThat(upload(s, admin, "gallery=nosuch", clip).statusCode()).isEqualTo(404);
      assertThat(upload(s, search, "gallery=watch", new byte[0]).statusCode()).isEqualTo(400);
      assertThat(upload(s, search, "gallery=watch&fps=abc", clip).statusCode()).isEqualTo(400);
      assertThat(upload(s, search, "gallery=watch&fpir=2", clip).statusCode()).as("an FPIR is a rate in (0, 1)").isEqualTo(400);

      // As multipart too: a video part may be larger than an image (Jetty's multipart limit was the image one).
      HttpResponse<byte[]> asPart = send(ServerTest.multipart(req(s.base + "/v1/videos?gallery=watch", search), Map.of("video", clip)));
      assertThat(asPart.statusCode()).as(new String(asPart.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(202);
      waitFor(s, search, json(asPart).get("id").asText(), List.of("done", "failed"));

      HttpResponse<byte[]> accepted = upload(s, search, "gallery=watch&name=hamilton.mp4", clip);
      assertThat(accepted.statusCode()).isEqualTo(202);
      JsonNode job = json(accepted);
      assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/jobs/" + job.get("id").asText());
      assertThat(job.get("state").asText()).isIn("queued", "running");
      JsonNode done = waitFor(s, search, job.get("id").asText(), List.of("done", "failed"));
      assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
      assertThat(done.get("progress").asDouble()).isEqualTo(1.0);
      assertThat(send(req(s.base + "/v1/jobs/" + job.get("id").asText(), elsewhere).GET()).statusCode()).isEqualTo(403);

      JsonNode result = done.get("result");
      assertThat(fields(result)).containsExactly("video", "durationSeconds", "fps", "width", "height", "sampledFps", "tracks");
      assertThat(result.get("video").asText()).isEqualTo("hamilton.mp4");
      List<String> named = new ArrayList<>();
      for (JsonNode t : result.get("tracks")) {
        assertThat(fields(t)).containsExactly("track", "start", "end", "samples", "best", "boxes", "decision", "candidates");
        for (JsonNode c : t.get("candidates")) {
          assertThat(fields(c)).containsExactly("subject", "score", "fmr");
        }
        named.add(t.get("decision").get("subject").asText(null));
      }
      assertThat(named).contains("lin_manuel_miranda");
      assertThat(named).allMatch(n -> n == null || n.equals("lin_manuel_miranda") || n.equals("alex_lacamoire"));

      // The stored scan and its video, by Range, through the link the scan gives.
      long scan = done.get("scan").asLong();
      JsonNode shown = json(send(req(s.base + "/v1/scans/" + scan, reader).GET()));
      String url = shown.get("videoUrl").asText();
      HttpResponse<byte[]> part = send(HttpRequest.newBuilder(URI.create(s.base + url)).header("Range", "bytes=1000-1999").GET());
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + clip.length);
      assertThat(part.body()).containsExactly(Arrays.copyOfRange(clip, 1000, 2000));
      String forged = url.substring(0, url.length() - 3) + (url.endsWith("AAA") ? "BBB" : "AAA");
      assertThat(send(HttpRequest.newBuilder(URI.create(s.base + forged)).GET()).statusCode()).isEqualTo(401);
      assertThat(send(HttpRequest.newBuilder(URI.create(s.base + "/v1/scans/" + scan + "/video")).GET()).statusCode()).isEqualTo(401);
      String otherScan = url.replace("/v1/scans/" + scan + "/", "/v1/scans/" + (scan + 1) + "/");
      assertThat(send(HttpRequest.newBuilder(URI.create(s.base + otherScan)).GET()).statusCode()).as("a link opens one scan").isEqualTo(401);
      assertThat(send(req(s.base + "/v1/scans/" + scan, elsewhere).GET()).statusCode()).isEqualTo(403);
      HttpResponse<byte[]> crop = send(req(s.base + "/v1/scans/" + scan + "/tracks/1/crop", reader).GET());
      assertThat(crop.statusCode()).isEqualTo(200);
      assertThat(crop.headers().firstValue("Content-Type")).hasValue("image/png");

      // Verdicts need the enrol role, are stored and audited.
      int miranda = 0;
      for (JsonNode t : shown.get("tracks")) {
        if ("lin_manuel_miranda".equals(t.get("decision").get("subject").asText(null))) {
          miranda = t.get("track").asInt();
        }
      }
      String body = "{\"verdict\":\"confirmed\"}";
      String verdictUrl = s.base + "/v1/scans/" + scan + "/tracks/" + miranda + "/verdict";
      assertThat(send(req(verdictUrl, search).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)))
          .statusCode()).isEqualTo(403);
      HttpResponse<byte[]> v = send(req(verdictUrl, admin).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
      assertThat(v.statusCode()).isEqualTo(200);
      assertThat(json(v).get("subject").asText()).isEqualTo("lin_manuel_miranda");
      assertThat(json(v).fieldNames()).toIterable().containsExactly("scan", "track", "verdict", "subject", "by");
      assertThat(json(v).get("verdict").asText()).isEqualTo("confirmed");
      assertThat(send(req(verdictUrl, admin).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"maybe\"}"))).statusCode()).isEqualTo(400);
      // A verdict names the subject the reviewer was shown: one the track no longer names is a conflict, and changes nothing.
      HttpResponse<byte[]> stale = send(req(verdictUrl, admin).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"rejected\",\"subject\":\"alex_lacamoire\"}")));
      assertThat(stale.statusCode()).as(new String(stale.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(409);
      HttpResponse<byte[]> seen = send(req(verdictUrl, admin).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"confirmed\",\"subject\":\"lin_manuel_miranda\"}")));
      assertThat(seen.statusCode()).isEqualTo(200);
      JsonNode after = json(send(req(s.base + "/v1/scans/" + scan, reader).GET()));
      assertThat(after.get("tracks").get(miranda - 1).get("verdict").get("verdict").asText()).isEqualTo("confirmed");
      String audit = new String(send(req(s.base + "/v1/audit", admin).GET()).body(), StandardCharsets.UTF_8);
      assertThat(audit).contains("\"scan.verdict\"", "\"video.job\"", "\"scan\"");

      // A finished job cannot be cancelled; its scan is deleted for real (rows and the kept upload).
      assertThat(send(req(s.base + "/v1/jobs/" + job.get("id").asText(), search).DELETE()).statusCode()).isEqualTo(409);
      assertThat(uploads(home)).hasSize(1);
      assertThat(send(req(s.base + "/v1/scans/" + scan, search).DELETE()).statusCode()).as("deletion is admin's").isEqualTo(403);
      HttpResponse<byte[]> deleted = send(req(s.base + "/v1/scans/" + scan, admin).DELETE());
      assertThat(deleted.statusCode()).isEqualTo(200);
      assertThat(json(deleted).get("storedFileDeleted").asBoolean()).isTrue();
      assertThat(uploads(home)).isEmpty();
      assertThat(send(req(s.base + "/v1/scans/" + scan, reader).GET()).statusCode()).isEqualTo(404);
      assertThat(send(HttpRequest.newBuilder(URI.create(s.base + url)).GET()).statusCode()).isEqualTo(404);
      assertThat(s.store.repositories().scans().scans()).isEmpty();

      // Junk that claims to be MP4 fails with a reason and leaves no file behind.
      byte[] junk = Arrays.copyOf(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 5000);
      JsonNode bad = waitFor(s, search, json(upload(s, search, "gallery=watch", junk)).get("id").asText(), List.of("failed", "done"));
      assertThat(bad.get("state").asText()).isEqualTo("failed");
      assertThat(bad.get("error").asText()).contains("not a readable video");
      assertThat(uploads(home)).isEmpty();
    }
  }

  @Test
  void boundedQueueCancelAndRestart(@TempDir Path home) throws Exception {
    String search;
    String running;
    String lost;
    ServerConfig one = ServerConfig.defaults().withVideoLimits(2L << 30, 1);
    try (Server s = new Server(home, one, true)) {
      search = s.key("analyst", Role.SEARCH, null);
      // Every frame: long enough to be caught running.
      running = json(upload(s, search, "gallery=watch&fps=0&name=a.mp4", variant(1))).get("id").asText();
      waitFor(s, search, running, List.of("running"));
      HttpResponse<byte[]> queued = upload(s, search, "gallery=watch&fps=0&name=b.mp4", variant(2));
      assertThat(queued.statusCode()).isEqualTo(202);
      HttpResponse<byte[]> refused = upload(s, search, "gallery=watch&fps=0&name=c.mp4", variant(3));
      assertThat(refused.statusCode()).as("one job may wait").isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      String waiting = json(queued).get("id").asText();
      HttpResponse<byte[]> cancel = send(req(s.base + "/v1/jobs/" + waiting, search).DELETE());
      assertThat(cancel.statusCode()).isEqualTo(200);
      assertThat(json(cancel).get("state").asText()).isEqualTo("cancelled");
      assertThat(uploads(home)).as("the cancelled upload is deleted; the running one kept").hasSize(1);
      // A job whose upload vanished while the server was down.
      lost = "lost-job";
      s.store.repositories().jobs().add(lost, "watch", home.resolve("media/gone.upload").toString(), "gone.mp4", 5, "test");
    } // closing stops the running job at its next frame and puts it back in the queue
    try (Server s = new Server(home, one, false)) {
      JsonNode resumed = waitFor(s, search, running, List.of("done", "failed", "cancelled"));
      assertThat(resumed.get("state").asText()).as("the job running at shutdown ran again after the restart").isEqualTo("done");
      assertThat(resumed.get("result").get("tracks").size()).isPositive();
      // The lost job fails when the server takes it up (after the older one), saying why.
      JsonNode gone = waitFor(s, search, lost, List.of("done", "failed", "cancelled"));
      assertThat(gone.get("state").asText()).isEqualTo("failed");
      assertThat(gone.get("error").asText()).contains("upload the video again");

      // Cancelling a running job stops it; nothing is stored for it.
      String c = json(upload(s, search, "gallery=watch&fps=0&name=d.mp4", variant(4))).get("id").asText();
      waitFor(s, search, c, List.of("running"));
      assertThat(send(req(s.base + "/v1/jobs/" + c, search).DELETE()).statusCode()).isEqualTo(200);
      JsonNode stopped = waitFor(s, search, c, List.of("cancelled", "done"));
      assertThat(stopped.get("state").asText()).isEqualTo("cancelled");
      assertThat(stopped.get("scan").isNull()).isTrue();
      assertThat(s.store.repositories().scans().scans()).hasSize(1);
    }
  }

  /**
   * Two servers on one database (and one media folder): an enrolment through one is found by the
   * other at once, a deletion through either is honoured by both, and a job claimed by a server
   * that then died (its claim never renewed) is taken up by a live one after the lease and done once.
   */
  @Test
  void twoServersShareOneDatabase(@TempDir Path home) throws Exception {
    ServerConfig shortLease = ServerConfig.defaults().withJobLease(java.time.Duration.ofSeconds(2));
    try (Server a = new Server(home, shortLease, true); Server b = new Server(home, shortLease, false)) {
      String admin = a.key("ops", Role.ADMIN, null);
      byte[] obama = Files.readAllBytes(ServerTest.photo("examples/obama.jpg"));
      assertThat(send(ServerTest.multipart(req(a.base + "/v1/galleries/watch/subjects/obama/faces", admin), Map.of("image", obama)))
          .statusCode()).isEqualTo(201);
      assertThat(decided(b, admin, obama)).as("enrolled through a, identified through b").isEqualTo("obama");
      assertThat(send(req(b.base + "/v1/galleries/watch/subjects/obama", admin).DELETE()).statusCode()).isEqualTo(200);
      assertThat(decided(a, admin, obama)).as("deleted through b, gone from a").isNull();
      assertThat(decided(b, admin, obama)).isNull();
      if (TestStorage.postgres()) { // a key revoked through a is refused by b within a second or two (the change feed)
        String analyst = a.key("analyst", Role.SEARCH, null);
        assertThat(decided(b, analyst, obama)).isNull(); // b now remembers the key
        String id = analyst.substring(3, analyst.indexOf('_', 3));
        assertThat(a.keys.revoke(id)).isTrue();
        int status = 0;
        for (int i = 0; i < 50 && status != 401; i++) {
          Thread.sleep(100);
          status = send(ServerTest.multipart(req(b.base + "/v1/identify?gallery=watch", analyst), Map.of("image", obama))).statusCode();
        }
        assertThat(status).as("revoked through a, refused by b").isEqualTo(401);
      }

      // A server that claimed a job and died: its claim is never renewed.
      Path upload = home.resolve("media").resolve("orphan.upload");
      Files.write(upload, variant(7));
      org.likeness.gallery.store.JobStore jobs = a.store.repositories().jobs();
      a.store.inTransaction(() -> { // the live servers cannot claim it between the two steps
        jobs.add("orphan", "watch", upload.toString(), "orphan.mp4", 2, "test");
        return jobs.claim("4242@gone/dead", java.time.Duration.ofSeconds(2)).orElseThrow();
      });
      assertThat(jobs.owner("orphan")).isEqualTo("4242@gone/dead");
      JsonNode done = waitFor(a, admin, "orphan", List.of("done", "failed", "cancelled"));
      assertThat(done.get("state").asText()).as("taken up by a live server after the lease: %s", done).isEqualTo("done");
      assertThat(done.has("result")).as("%s", done).isTrue();
      assertThat(done.get("result").get("tracks").size()).isPositive();
      assertThat(jobs.owner("orphan")).isNull();
      assertThat(a.store.repositories().scans().scans()).hasSize(1);
    }
  }

  /**
   * With a template key, a kept upload is sealed at rest once scanned (no plain copy left in the
   * media folder, no run of the clip's bytes in the sealed file) and still served by Range, exactly,
   * from the chunks the range lies in.
   */
  @Test
  void aServerThatCannotOpenASealedUploadLeavesItToOneThatCan(@TempDir Path home) throws Exception {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    org.likeness.gallery.store.TemplateCipher cipher = new org.likeness.gallery.store.TemplateCipher(key);
    ServerConfig config = ServerConfig.defaults().withJobLease(java.time.Duration.ofSeconds(2));
    try (Server keyless = new Server(home, config, true)) {
      Path plain = Files.write(Files.createDirectories(home.resolve("media")).resolve("elsewhere.upload"), variant(13));
      Path sealed = home.resolve("media").resolve("elsewhere.upload.sealed");
      cipher.media().seal(plain, sealed);
      Files.delete(plain);
      org.likeness.gallery.store.JobStore jobs = keyless.store.repositories().jobs();
      org.likeness.gallery.store.StoredJob queued = jobs.add("sealed-job", "watch", sealed.toString(), "clip.mp4", 2, "test");
      org.likeness.gallery.store.StoredJob seen = queued;
      for (int i = 0; i < 200 && !(seen.updated().isAfter(queued.updated()) && !seen.state().equals("running")); i++) {
        // claimed (running), found unopenable, put back (queued again) or, as before, failed
        Thread.sleep(100);
        seen = jobs.job("sealed-job").orElseThrow();
      }
      assertThat(seen.updated()).as("the keyless server tried the job").isAfter(queued.updated());
      assertThat(seen.state()).as("back in the queue, not failed").isEqualTo("queued");
      assertThat(sealed).as("the footage is kept for a server with the key").exists();
      try (Server keyed = new Server(home, config, false, cipher)) {
        String admin = keyed.key("ops", Role.ADMIN, null);
        JsonNode done = waitFor(keyed, admin, "sealed-job", List.of("done", "failed", "cancelled"));
        assertThat(done.get("state").asText()).as("scanned by the server with the key").isEqualTo("done");
      }
    }
  }

  @Test
  void keptMediaAreSealedAtRestAndServedByRange(@TempDir Path home) throws Exception {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    String reader, url;
    try (Server s = new Server(home, ServerConfig.defaults(), true, new org.likeness.gallery.store.TemplateCipher(key))) {
      String search = s.key("analyst", Role.SEARCH, null);
      reader = s.key("viewer", Role.READ, null);
      String id = json(upload(s, search, "gallery=watch&name=sealed.mp4", variant(11))).get("id").asText();
      for (Path queued : uploads(home).stream().filter(Files::isRegularFile).toList()) { // sealed before it was queued: no plain upload on the shared folder, even while it waits
        assertThat(org.likeness.gallery.store.SealedMedia.isSealed(queued)).as("%s", queued).isTrue();
      }
      JsonNode done = waitFor(s, search, id, List.of("done", "failed", "cancelled"));
      Path scratch = Path.of(System.getProperty("java.io.tmpdir"));
      int folders = 0;
      try (var dirs = Files.list(scratch)) { // the upload as it arrived and the plain copy the decoder read, on this server's disk, are gone
        for (Path d : (Iterable<Path>) dirs.filter(d -> d.getFileName().toString().startsWith("likeness-scan-")
            && d.getFileName().toString().contains("-" + ProcessHandle.current().pid() + "-"))::iterator) {
          folders++;
          try (var left = Files.list(d)) {
            assertThat(left.filter(f -> !f.getFileName().toString().equals(".lock")).toList()).as("footage left in %s", d).isEmpty();
          }
        }
      }
      assertThat(folders).as("this process's scratch folders").isPositive();
      assertThat(done.get("state").asText()).isEqualTo("done");
      List<Path> kept = uploads(home);
      assertThat(kept).as("one kept file, sealed; the plain upload deleted").hasSize(1);
      assertThat(kept.get(0).getFileName().toString()).endsWith(".sealed");
      assertThat(org.likeness.gallery.store.SealedMedia.isSealed(kept.get(0))).isTrue();
      byte[] sealed = Files.readAllBytes(kept.get(0));
      assertThat(Collections.indexOfSubList(box(sealed), box(Arrays.copyOfRange(clip, 4096, 4096 + 64)))).isEqualTo(-1);

      url = json(send(req(s.base + "/v1/scans/" + done.get("scan").asLong(), reader).GET())).get("videoUrl").asText();
      int last = clip.length + 10; // the variant's last byte
      for (String range : List.of("bytes=1000-1999", "bytes=65530-65545", "bytes=0-0", "bytes=-20")) {
        HttpResponse<byte[]> part = send(HttpRequest.newBuilder(URI.create(s.base + url)).header("Range", range).GET());
        assertThat(part.statusCode()).as(range).isEqualTo(206);
        String[] span = part.headers().firstValue("Content-Range").orElseThrow().replace("bytes ", "").split("[-/]");
        int from = Integer.parseInt(span[0]), to = Integer.parseInt(span[1]);
        assertThat(span[2]).isEqualTo(Integer.toString(last + 1));
        assertThat(part.body()).as(range).containsExactly(Arrays.copyOfRange(variant(11), from, to + 1));
      }
      HttpResponse<byte[]> whole = send(HttpRequest.newBuilder(URI.create(s.base + url)).GET());
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/mp4");
      assertThat(whole.body()).isEqualTo(variant(11));
    }
  }

  private static List<Byte> box(byte[] b) {
    List<Byte> out = new ArrayList<>(b.length);
    for (byte x : b) {
      out.add(x);
    }
    return out;
  }

  /** The subject decided for the most prominent face of {@code image} through {@code s}, or null for unknown. */
  private static String decided(Server s, String key, byte[] image) throws Exception {
    JsonNode r = json(send(ServerTest.multipart(req(s.base + "/v1/identify?gallery=watch", key), Map.of("image", image))));
    JsonNode subject = r.get("faces").get(0).get("decision").get("subject");
    return subject.isNull() ? null : subject.asText();
  }

  private static List<Path> uploads(Path home) throws Exception {
    try (Stream<Path> files = Files.list(home.resolve("media"))) {
      return files.toList();
    }
  }

  private static List<String> fields(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
