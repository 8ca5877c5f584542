package org.likeness.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;

/** Requests Jetty refuses itself answer problem+json, and every answer carries the security headers. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class HttpHardeningTest {
  private static FaceEngine engine;

  @BeforeAll
  static void open() {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  /** Sends raw bytes (what no well-behaved client would) and reads the whole answer. */
  private static String raw(String base, String request) throws Exception {
    java.net.URI uri = java.net.URI.create(base);
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static void assertProblem(String answer, int status) {
    assertThat(answer).startsWith("HTTP/1.1 " + status);
    assertThat(answer.toLowerCase()).contains("content-type: application/problem+json", "x-content-type-options: nosniff");
    assertThat(answer).contains("\"status\":" + status).doesNotContain("<html", "<h1");
  }

  @Test
  void jettysOwnRefusalsAreProblemJson(@TempDir Path home) throws Exception {
    try (ServerTest.Running s = new ServerTest.Running(home, ServerConfig.defaults(), engine)) {
      assertProblem(raw(s.base, "GET /v1/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 414);
      assertProblem(raw(s.base, "GET /v1/health HTTP/1.1\r\nHost: x\r\nBroken header line\r\nConnection: close\r\n\r\n"), 400);
      assertProblem(raw(s.base, "GET /v1/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
      assertProblem(raw(s.base, "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n"), 431);
    }
  }

  /**
   * A JSON body is read only up to the upload limit, whatever length it declares: a chunked body
   * declares none, and Javalin's own limit reads the declared length only.
   */
  @Test
  void aChunkedJsonBodyPastTheLimitIsRefusedUnread(@TempDir Path home) throws Exception {
    try (ServerTest.Running s = new ServerTest.Running(home, new ServerConfig(64 * 1024, 8, 5), engine)) {
      StringBuilder req = new StringBuilder("POST /v1/galleries HTTP/1.1\r\nHost: x\r\nX-API-Key: " + s.admin
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
      String chunk = "{\"name\":\"" + "a".repeat(8 * 1024 - 10);
      req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
      String filler = " ".repeat(8 * 1024);
      for (int i = 0; i < 12; i++) { // 104 KB in all, over the 64 KB limit
        req.append(Integer.toHexString(filler.length())).append("\r\n").append(filler).append("\r\n");
      }
      req.append("0\r\n\r\n");
      assertProblem(raw(s.base, req.toString()), 413);
      // Under the limit, chunked is fine.
      String small = "{\"name\":\"chunked\"}";
      String ok = raw(s.base, "POST /v1/galleries HTTP/1.1\r\nHost: x\r\nX-API-Key: " + s.admin
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
          + Integer.toHexString(small.length()) + "\r\n" + small + "\r\n0\r\n\r\n");
      assertThat(ok).startsWith("HTTP/1.1 201");
    }
  }

  /** An embedding must be a direction a float template can hold: values past float range, or all zeros, are 400. */
  @Test
  void embeddingsOutsideFloatRangeOrWithoutDirectionAreRefused(@TempDir Path home) throws Exception {
    try (ServerTest.Running s = new ServerTest.Running(home, ServerConfig.defaults(), engine)) {
      int d = engine.embedder().dimension();
      String ones = "1" + ",0".repeat(d - 1);
      for (String bad : new String[] {"1e39" + ",0".repeat(d - 1), "0" + ",0".repeat(d - 1), "-3.5e38" + ",0".repeat(d - 1)}) {
        ServerTest.Res r = ServerTest.send(ServerTest.json(ServerTest.req(s.base + "/v1/verify", s.admin),
            "{\"embedding_a\":[" + bad + "],\"embedding_b\":[" + ones + "]}"));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("title").asText()).isEqualTo("Bad embedding");
      }
      ServerTest.Res fine = ServerTest.send(ServerTest.json(ServerTest.req(s.base + "/v1/verify", s.admin),
          "{\"embedding_a\":[3e38" + ",0".repeat(d - 1) + "],\"embedding_b\":[" + ones + "]}"));
      assertThat(fine.status()).as(fine.body()).isEqualTo(200);
      assertThat(fine.json().get("similarity").asDouble()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
    }
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders(@TempDir Path home) throws Exception {
    try (ServerTest.Running s = new ServerTest.Running(home, ServerConfig.defaults(), engine)) {
      for (String path : new String[] {"/", "/videos", "/clusters", "/v1/health", "/v1/nothing", "/v1/galleries", "/v1/keys/self"}) {
        var headers = ServerTest.send(ServerTest.req(s.base + path, path.endsWith("self") ? s.admin : null)).raw().headers();
        assertThat(headers.firstValue("X-Frame-Options")).as(path).hasValue("DENY");
        assertThat(headers.firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        assertThat(headers.firstValue("Cache-Control")).as(path).hasValue("no-store");
        assertThat(headers.firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(csp -> assertThat(csp)
            .contains("default-src 'none'", "frame-ancestors 'none'", "connect-src 'self'").doesNotContain("'unsafe-eval'")
            .doesNotContainPattern("script-src[^;]*'unsafe-inline'"));
      }
      // The pages' own inline scripts are admitted by hash, nothing else.
      for (String page : new String[] {"/", "/videos", "/clusters"}) {
        ServerTest.Res r = ServerTest.send(ServerTest.req(s.base + page, null));
        Matcher m = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(r.body());
        assertThat(m.find()).as(page).isTrue();
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8)));
        assertThat(r.raw().headers().firstValue("Content-Security-Policy").orElseThrow()).contains("'sha256-" + hash + "'");
      }
    }
  }
}
