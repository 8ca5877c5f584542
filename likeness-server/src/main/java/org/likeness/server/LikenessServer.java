package org.likeness.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.UploadedFile;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.verify.Verification;
import org.likeness.gallery.Gallery;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.EnrollOutcome;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.StoreException;
import org.likeness.gallery.store.SubjectInfo;
import org.likeness.server.audit.AuditLog;
import org.likeness.server.auth.ApiKey;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;
import org.likeness.server.http.Problem;
import org.likeness.server.http.Route;
import org.likeness.server.http.Shapes;

/**
 * The REST API: the CLI's operations over HTTP, behind API keys with roles, every operation
 * appended to the audit trail, engine work admitted through a bounded gate (503 + Retry-After when
 * full, never unbounded queues). Wiring is explicit: {@link #routes()} is the whole surface.
 */
public final class LikenessServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LikenessServer.class);

  private final FaceEngine engine;
  private final GalleryStore store;
  private final KeyStore keys;
  private final AuditLog audit;
  private final ServerConfig config;
  private final Semaphore gate;
  private final ForkJoinPool searchPool;
  private final Map<String, Gallery> galleries = new ConcurrentHashMap<>();
  private final List<Route> routes;
  private Javalin app;

  public LikenessServer(FaceEngine engine, GalleryStore store, KeyStore keys, AuditLog audit, ServerConfig config) {
    this.engine = engine;
    this.store = store;
    this.keys = keys;
    this.audit = audit;
    this.config = config;
    this.gate = new Semaphore(config.maxInFlight());
    this.searchPool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    this.routes = List.of(
        new Route("GET", "/", null, ctx -> ctx.contentType("text/html; charset=utf-8").result(resource("/web/index.html"))),
        new Route("GET", "/v1/health", null, ctx -> ctx.json(Map.of("status", "ok", "pack", engine.pack().id()))),
        new Route("GET", "/v1/openapi.json", null, ctx -> ctx.contentType("application/json").result(resource("/openapi.json"))),
        new Route("POST", "/v1/detect", Role.SEARCH, gated(this::detect)),
        new Route("POST", "/v1/verify", Role.SEARCH, gated(this::verify)),
        new Route("POST", "/v1/embed", Role.SEARCH, gated(this::embed)),
        new Route("POST", "/v1/identify", Role.SEARCH, gated(this::identify)),
        new Route("GET", "/v1/galleries", Role.READ, this::listGalleries),
        new Route("POST", "/v1/galleries", Role.ADMIN, this::createGallery),
        new Route("GET", "/v1/galleries/{gallery}/subjects", Role.READ, this::listSubjects),
        new Route("GET", "/v1/galleries/{gallery}/subjects/{subject}", Role.READ, this::showSubject),
        new Route("PATCH", "/v1/galleries/{gallery}/subjects/{subject}", Role.ENROLL, this::renameSubject),
        new Route("GET", "/v1/galleries/{gallery}/export", Role.ADMIN, this::exportGallery),
        new Route("POST", "/v1/galleries/{gallery}/subjects/{subject}/faces", Role.ENROLL, gated(this::enrol)),
        new Route("POST", "/v1/galleries/{gallery}/subjects/{subject}/merge", Role.ENROLL, this::merge),
        new Route("DELETE", "/v1/galleries/{gallery}/subjects/{subject}", Role.ADMIN, this::deleteSubject),
        new Route("POST", "/v1/galleries/{gallery}/faces/{face}/move", Role.ENROLL, this::moveFace),
        new Route("DELETE", "/v1/galleries/{gallery}/faces/{face}", Role.ADMIN, this::deleteFace),
        new Route("GET", "/v1/galleries/{gallery}/faces/{face}/crop", Role.READ, this::faceCrop),
        new Route("GET", "/v1/audit", Role.ADMIN, this::exportAudit));
  }

  /** The whole API surface. */
  public List<Route> routes() {
    return routes;
  }

  /** Starts listening; returns the bound port (pass 0 for any free one). */
  public int start(String host, int port) {
    app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.http.maxRequestSize = config.maxUploadBytes();
      cfg.jsonMapper(new JavalinJackson(JSON, false));
      cfg.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), io.javalin.config.SizeUnit.BYTES);
      cfg.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes(), io.javalin.config.SizeUnit.BYTES);
    });
    app.beforeMatched(this::authenticate); // after route matching, so the route's role is known
    for (Route r : routes) {
      app.addHttpHandler(HandlerType.valueOf(r.method()), r.path(), r.handler());
    }
    app.exception(Problem.class, (e, ctx) -> problem(ctx, e));
    app.exception(ImageDecodeException.class, (e, ctx) -> problem(ctx, new Problem(422, "Unreadable image", e.getMessage())));
    app.exception(StoreException.class, (e, ctx) -> problem(ctx, new Problem(
        e.getMessage() != null && e.getMessage().startsWith("unknown") ? 404 : 409, "Request refused", e.getMessage())));
    app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> problem(ctx, new Problem(e.getStatus(),
        e.getStatus() == 413 ? "Upload too large" : "Bad request", e.getMessage())));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      problem(ctx, new Problem(500, "Internal error", e.getClass().getSimpleName()));
    });
    app.error(404, ctx -> {
      if (!"application/problem+json".equals(ctx.res().getContentType())) {
        problem(ctx, new Problem(404, "Not found", ctx.method() + " " + ctx.path() + " is not a route"));
      }
    });
    app.error(413, ctx -> problem(ctx, new Problem(413, "Upload too large", "the limit is " + config.maxUploadBytes() + " bytes")));
    app.start(host, port);
    return app.port();
  }

  private void authenticate(Context ctx) {
    Route route = routeOf(ctx);
    if (route == null || route.role() == null) {
      return;
    }
    String presented = ctx.header("X-API-Key");
    if (presented == null || presented.isBlank()) {
      throw new Problem(401, "API key required", "send a key in the X-API-Key header");
    }
    ApiKey key = keys.authenticate(presented.strip()).orElse(null);
    if (key == null) { // logged, not audited: anyone can send junk keys, and the trail must not be floodable
      LOG.warn("{} {} refused: unknown or revoked API key from {}", ctx.method(), ctx.path(), ctx.ip());
      throw new Problem(401, "Invalid API key", "the key is unknown or revoked");
    }
    String gallery = ctx.pathParamMap().containsKey("gallery") ? ctx.pathParam("gallery") : ctx.queryParam("gallery");
    if (!key.role().allows(route.role())) {
      throw denied(ctx, key, gallery, "this operation needs role " + route.role().name().toLowerCase() + "; the key has "
          + key.role().name().toLowerCase());
    }
    if (!key.coversGallery(gallery)) {
      throw denied(ctx, key, gallery, "this key is limited to gallery '" + key.gallery() + "'");
    }
    ctx.attribute("key", key);
  }

  /** A valid key asking beyond its rights is audited: who tried what is part of the trail. */
  private Problem denied(Context ctx, ApiKey key, String gallery, String reason) {
    audit.append(key.id(), "denied", gallery, Map.of("method", ctx.method().name(), "path", ctx.path()),
        Map.of("status", 403, "reason", reason));
    return new Problem(403, "Forbidden", reason);
  }

  private Route routeOf(Context ctx) {
    String matched = ctx.endpointHandlerPath();
    for (Route r : routes) {
      if (r.path().equals(matched) && r.method().equals(ctx.method().name())) {
        return r;
      }
    }
    return null;
  }

  // ---- handlers

  private void detect(Context ctx) throws Exception {
    Upload up = upload(ctx, "image");
    List<Face> faces = engine.detect(decode(up));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("width", up.image().width());
    m.put("height", up.image().height());
    m.put("faces", faces.stream().map(f -> Shapes.face(f, false)).toList());
    audit(ctx, "detect", null, Map.of("images", List.of(up.sha256())), Map.of("faces", faces.size()));
    ctx.json(m);
  }

  private void verify(Context ctx) throws Exception {
    float[] ea = embeddingField(ctx, "embedding_a"), eb = embeddingField(ctx, "embedding_b");
    if (ea != null || eb != null) { // embeddings in
      if (ea == null || eb == null) {
        throw new Problem(400, "Missing embedding", "give both embedding_a and embedding_b");
      }
      Map<String, Object> m = verdict(engine.verifier().verify(ea, eb));
      audit(ctx, "verify", null, Map.of("embeddings", 2), m);
      ctx.json(m);
      return;
    }
    Upload a = upload(ctx, "image_a"), b = upload(ctx, "image_b");
    Face fa = engine.mostProminent(decode(a)).orElseThrow(() -> new Problem(422, "No face", "no face found in image_a"));
    Face fb = engine.mostProminent(decode(b)).orElseThrow(() -> new Problem(422, "No face", "no face found in image_b"));
    Map<String, Object> m = verdict(engine.verifier().verify(fa.embedding(), fb.embedding()));
    audit(ctx, "verify", null, Map.of("images", List.of(a.sha256(), b.sha256())), m);
    ctx.json(m);
  }

  /** The {@code /v1/verify} answer: {@code {"similarity","match","threshold"}} (a contract other tools call). */
  private static Map<String, Object> verdict(Verification v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("similarity", Shapes.round4(v.similarity()));
    m.put("match", v.match());
    m.put("threshold", v.threshold());
    return m;
  }

  private void embed(Context ctx) throws Exception {
    Upload up = upload(ctx, "image");
    List<Face> faces = engine.analyze(decode(up));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Face f : faces) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("box", Shapes.box(f.box()));
      fm.put("score", Shapes.round4(f.score()));
      fm.put("embedding", f.embedding());
      out.add(fm);
    }
    audit(ctx, "embed", null, Map.of("images", List.of(up.sha256())), Map.of("faces", faces.size()));
    ctx.json(Map.of("pack", engine.pack().id(), "dimension", engine.embedder().dimension(), "faces", out));
  }

  private void identify(Context ctx) throws Exception {
    String name = ctx.queryParam("gallery");
    if (name == null) {
      throw new Problem(400, "Missing gallery", "pass ?gallery=NAME");
    }
    Gallery g = gallery(name);
    int top = intParam(ctx, "top", config.identifyTop(), 1, 100);
    boolean crops = "1".equals(ctx.queryParam("crops")) || "true".equals(ctx.queryParam("crops"));
    MatchPolicy policy = new MatchPolicy(SearchMethod.AUTO, Aggregation.MAX, engine.verifier().threshold(),
        engine.pack().recognizer().impostors());
    float[] given = embeddingField(ctx, "embedding");
    if (given != null) { // an embedding in: the template made elsewhere with the same pack
      Identification id = g.identify(given, top, policy);
      Map<String, Object> face = Shapes.identifiedFace(null, id);
      audit(ctx, "identify", name, Map.of("embeddings", 1), Map.of("faces", List.of(Shapes.audited(id))));
      ctx.json(Map.of("faces", List.of(face)));
      return;
    }
    Upload up = upload(ctx, "image");
    List<Map<String, Object>> faces = new ArrayList<>();
    List<Map<String, Object>> results = new ArrayList<>();
    for (Face f : engine.analyze(decode(up))) {
      Identification id = g.identify(f.embedding(), top, policy);
      Map<String, Object> face = Shapes.identifiedFace(f, id);
      if (crops) { // for the review page: the probe crop, and which stored face each candidate matched
        face.put("probeCrop", "data:image/png;base64," + Base64.getEncoder().encodeToString(
            org.likeness.engine.image.ImageEncoder.png(f.aligned())));
        List<Map<String, Object>> cands = new ArrayList<>();
        for (var c : id.candidates()) {
          Map<String, Object> cm = Shapes.candidate(c);
          cm.put("face", c.bestFaceId());
          cands.add(cm);
        }
        face.put("candidates", cands);
      }
      faces.add(face);
      results.add(Shapes.audited(id));
    }
    audit(ctx, "identify", name, Map.of("images", List.of(up.sha256())), Map.of("faces", results));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("faces", faces);
    ctx.json(m);
  }

  private void listGalleries(Context ctx) {
    ApiKey key = ctx.attribute("key");
    List<Map<String, Object>> out = new ArrayList<>();
    for (GalleryInfo g : store.galleries()) {
      if (key.coversGallery(g.name())) {
        long[] c = store.counts(g.id());
        out.add(Map.of("name", g.name(), "pack", g.packId(), "subjects", c[0], "faces", c[1]));
      }
    }
    ctx.json(Map.of("galleries", out));
  }

  private void createGallery(Context ctx) throws IOException {
    JsonNode body = jsonBody(ctx);
    String name = body.path("name").asText(null);
    if (name == null) {
      throw new Problem(400, "Missing name", "body must be {\"name\": ...}");
    }
    GalleryInfo g = store.createGallery(name, engine.pack().id(), engine.embedder().dimension());
    audit(ctx, "gallery.create", g.name(), Map.of(), Map.of("gallery", g.id()));
    ctx.status(201).json(Map.of("name", g.name(), "pack", g.packId()));
  }

  private void listSubjects(Context ctx) {
    GalleryInfo g = store.requireGallery(ctx.pathParam("gallery"));
    List<Map<String, Object>> out = new ArrayList<>();
    for (SubjectInfo s : store.subjects(g.id())) {
      out.add(Map.of("name", s.name(), "faces", s.faces()));
    }
    ctx.json(Map.of("gallery", g.name(), "subjects", out));
  }

  private void enrol(Context ctx) throws Exception {
    Gallery g = gallery(ctx.pathParam("gallery"));
    String subject = ctx.pathParam("subject");
    Upload up = upload(ctx, "image");
    java.nio.file.Path tmp = java.nio.file.Files.createTempFile("likeness-upload", ".img");
    try {
      java.nio.file.Files.write(tmp, up.bytes());
      EnrollOutcome o = new Enroller(engine, store, g, Enroller.Options.DEFAULT)
          .enrollOne(new EnrollItem(subject, tmp));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("subject", subject);
      m.put("status", o.status().name().toLowerCase());
      if (o.faceId() >= 0) {
        m.put("face", o.faceId());
      }
      if (o.reason() != null) {
        m.put("reason", o.reason().replace(tmp.toString(), "upload"));
      }
      audit(ctx, "enroll", g.info().name(), Map.of("images", List.of(up.sha256()), "subject", subject), m);
      if (o.status() == EnrollOutcome.Status.REJECTED) {
        throw new Problem(422, "Not enrolled", (String) m.get("reason"));
      }
      ctx.status(o.status() == EnrollOutcome.Status.ENROLLED ? 201 : 200).json(m);
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  private void showSubject(Context ctx) {
    GalleryInfo g = store.requireGallery(ctx.pathParam("gallery"));
    SubjectInfo s = store.requireSubject(g.id(), ctx.pathParam("subject"));
    Map<String, Object> m = Shapes.subject(s);
    m.put("faceList", store.facesOf(s.id()).stream().map(Shapes::storedFace).toList());
    ctx.json(m);
  }

  private void renameSubject(Context ctx) throws IOException {
    Gallery g = gallery(ctx.pathParam("gallery"));
    String to = jsonBody(ctx).path("name").asText(null);
    if (to == null) {
      throw new Problem(400, "Missing name", "body must be {\"name\": NEW_NAME}");
    }
    SubjectInfo s = store.renameSubject(g.info().id(), ctx.pathParam("subject"), to);
    g.reload();
    audit(ctx, "rename", g.info().name(), Map.of("subject", ctx.pathParam("subject"), "newName", to), Map.of("subjectId", s.id()));
    ctx.json(Shapes.subject(s));
  }

  /** The gallery as a versioned archive (templates in clear: admin only, audited). */
  private void exportGallery(Context ctx) throws IOException {
    GalleryInfo g = store.requireGallery(ctx.pathParam("gallery"));
    java.nio.file.Path tmp = java.nio.file.Files.createTempFile("likeness-export", ".json");
    try {
      int faces = org.likeness.gallery.io.GalleryArchive.export(store, g, tmp);
      audit(ctx, "gallery.export", g.name(), Map.of(), Map.of("faces", faces));
      ctx.header("Content-Disposition", "attachment; filename=\"" + g.name() + ".likeness.json\"");
      ctx.contentType("application/json").result(java.nio.file.Files.readAllBytes(tmp));
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  private void merge(Context ctx) throws IOException {
    Gallery g = gallery(ctx.pathParam("gallery"));
    String into = jsonBody(ctx).path("into").asText(null);
    if (into == null) {
      throw new Problem(400, "Missing target", "body must be {\"into\": SUBJECT}");
    }
    int moved = store.mergeSubjects(g.info().id(), ctx.pathParam("subject"), into);
    g.reload();
    audit(ctx, "merge", g.info().name(), Map.of("from", ctx.pathParam("subject"), "into", into), Map.of("facesMoved", moved));
    ctx.json(Map.of("into", into, "facesMoved", moved));
  }

  private void moveFace(Context ctx) throws IOException {
    Gallery g = gallery(ctx.pathParam("gallery"));
    long face = longParam(ctx.pathParam("face"));
    String to = jsonBody(ctx).path("subject").asText(null);
    if (to == null) {
      throw new Problem(400, "Missing subject", "body must be {\"subject\": NAME}");
    }
    SubjectInfo s = store.moveFace(g.info().id(), face, to);
    g.reload();
    audit(ctx, "move", g.info().name(), Map.of("face", face, "to", to), Map.of("subjectId", s.id()));
    ctx.json(Map.of("face", face, "subject", s.name()));
  }

  private void deleteSubject(Context ctx) {
    Gallery g = gallery(ctx.pathParam("gallery"));
    int faces = store.deleteSubject(g.info().id(), ctx.pathParam("subject"));
    store.checkpoint();
    Gallery.discardSavedIndex(store, g.info());
    g.reload();
    audit(ctx, "delete.subject", g.info().name(), Map.of("subject", ctx.pathParam("subject")), Map.of("facesDeleted", faces));
    ctx.json(Map.of("deletedSubject", ctx.pathParam("subject"), "facesDeleted", faces));
  }

  private void deleteFace(Context ctx) {
    Gallery g = gallery(ctx.pathParam("gallery"));
    long face = longParam(ctx.pathParam("face"));
    store.deleteFace(g.info().id(), face);
    store.checkpoint();
    Gallery.discardSavedIndex(store, g.info());
    g.reload();
    audit(ctx, "delete.face", g.info().name(), Map.of("face", face), Map.of("deleted", true));
    ctx.json(Map.of("deletedFace", face));
  }

  private void faceCrop(Context ctx) {
    GalleryInfo g = store.requireGallery(ctx.pathParam("gallery"));
    var face = store.face(g.id(), longParam(ctx.pathParam("face")))
        .orElseThrow(() -> new Problem(404, "Not found", "no face " + ctx.pathParam("face") + " in gallery " + g.name()));
    if (face.cropPng() == null) {
      throw new Problem(404, "No crop stored", "this face was enrolled without a crop (crops are off by default)");
    }
    ctx.contentType("image/png").result(face.cropPng());
  }

  private void exportAudit(Context ctx) throws IOException {
    java.io.StringWriter w = new java.io.StringWriter();
    long n = audit.export(w);
    audit(ctx, "audit.export", null, Map.of(), Map.of("records", n));
    ctx.contentType("application/x-ndjson").result(w.toString());
  }

  // ---- helpers

  /** An uploaded image: its bytes, sha256, and decoded pixels (decoded lazily inside the gate). */
  private final class Upload {
    private final String field;
    private final byte[] bytes;
    private final String sha;
    private RgbImage image;

    Upload(String field, byte[] bytes) {
      this.field = field;
      this.bytes = bytes;
      this.sha = Enroller.sha256(bytes);
    }

    byte[] bytes() {
      return bytes;
    }

    String sha256() {
      return sha;
    }

    RgbImage image() {
      return image;
    }
  }

  private RgbImage decode(Upload up) throws ImageDecodeException {
    if (up.image == null) {
      up.image = engine.decoder().decode(up.bytes, up.field);
    }
    return up.image;
  }

  /** The image in multipart field {@code name}, or in JSON body field {@code name} as base64. */
  private Upload upload(Context ctx, String name) throws IOException {
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    byte[] bytes;
    if (type.startsWith("multipart/")) {
      UploadedFile f;
      try {
        f = ctx.uploadedFile(name);
      } catch (IllegalStateException e) {
        // Jetty's multipart parser refuses bodies over the configured size this way.
        throw new Problem(413, "Upload too large", "the limit is " + config.maxUploadBytes() + " bytes");
      }
      if (f == null) {
        throw new Problem(400, "Missing image", "multipart field '" + name + "' is required");
      }
      try (InputStream in = f.content()) {
        bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE, config.maxUploadBytes() + 1));
      }
    } else if (type.startsWith("application/json")) {
      JsonNode v = jsonBody(ctx).get(name);
      if (v == null || !v.isTextual()) {
        throw new Problem(400, "Missing image", "JSON field '" + name + "' (base64) is required");
      }
      try {
        bytes = Base64.getMimeDecoder().decode(v.asText());
      } catch (IllegalArgumentException e) {
        throw new Problem(400, "Malformed base64", "field '" + name + "': " + e.getMessage());
      }
    } else {
      throw new Problem(415, "Unsupported content type", "send multipart/form-data or application/json");
    }
    if (bytes.length > config.maxUploadBytes()) {
      throw new Problem(413, "Upload too large", "the limit is " + config.maxUploadBytes() + " bytes");
    }
    return new Upload(name, bytes);
  }

  /**
   * A unit embedding from JSON body field {@code name}, or null when the request carries none. It
   * must have the pack's dimension; it is L2-normalised here.
   */
  private float[] embeddingField(Context ctx, String name) {
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    if (!type.startsWith("application/json")) {
      return null;
    }
    JsonNode v = jsonBody(ctx).get(name);
    if (v == null) {
      return null;
    }
    int dim = engine.embedder().dimension();
    if (!v.isArray() || v.size() != dim) {
      throw new Problem(400, "Bad embedding", "'" + name + "' must be an array of " + dim + " numbers (pack " + engine.pack().id() + ")");
    }
    float[] e = new float[dim];
    for (int i = 0; i < dim; i++) {
      if (!v.get(i).isNumber() || !Double.isFinite(v.get(i).asDouble())) {
        throw new Problem(400, "Bad embedding", "'" + name + "' holds a non-numeric or non-finite value at " + i);
      }
      e[i] = (float) v.get(i).asDouble();
    }
    return org.likeness.engine.embed.FaceEmbedder.normalize(e);
  }

  private JsonNode jsonBody(Context ctx) {
    Object cached = ctx.attribute("jsonBody");
    if (cached instanceof JsonNode n) {
      return n;
    }
    try {
      JsonNode n = JSON.readTree(ctx.bodyAsBytes());
      if (n == null || !n.isObject()) {
        throw new Problem(400, "Malformed JSON", "the body must be a JSON object");
      }
      ctx.attribute("jsonBody", n);
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Problem(400, "Malformed JSON", e.getOriginalMessage());
    } catch (IOException e) {
      throw new Problem(400, "Malformed JSON", e.getMessage());
    }
  }

  /**
   * Admits engine requests through the gate before their body is even read: a full gate answers
   * 503 with Retry-After at once, so rejected uploads cost nothing (parsing them would starve the
   * engine under load).
   */
  private io.javalin.http.Handler gated(io.javalin.http.Handler h) {
    return ctx -> {
      if (!gate.tryAcquire()) {
        throw new Problem(503, "Busy", "the engine queue is full; retry after the given seconds", 1);
      }
      try {
        h.handle(ctx);
      } finally {
        gate.release();
      }
    };
  }

  private Gallery gallery(String name) {
    GalleryInfo info = store.requireGallery(name);
    if (!info.packId().equals(engine.pack().id())) {
      throw new Problem(409, "Pack mismatch", "gallery '" + name + "' holds templates of pack " + info.packId()
          + "; this server runs " + engine.pack().id());
    }
    return galleries.computeIfAbsent(info.name(), n -> Gallery.open(store, n, searchPool));
  }

  private void audit(Context ctx, String op, String gallery, Map<String, ?> inputs, Map<String, ?> results) {
    ApiKey key = ctx.attribute("key");
    audit.append(key == null ? null : key.id(), op, gallery, inputs, results);
  }

  private static int intParam(Context ctx, String name, int dflt, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw new NumberFormatException();
      }
      return i;
    } catch (NumberFormatException e) {
      throw new Problem(400, "Bad parameter", name + " must be an integer in [" + min + ", " + max + "]");
    }
  }

  private static long longParam(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new Problem(400, "Bad parameter", "'" + v + "' is not a face id");
    }
  }

  private static void problem(Context ctx, Problem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "about:blank");
    m.put("title", p.title());
    m.put("status", p.status());
    m.put("detail", p.getMessage());
    if (p.retryAfter() > 0) {
      ctx.header("Retry-After", Integer.toString(p.retryAfter()));
    }
    try {
      ctx.status(p.status()).contentType("application/problem+json").result(JSON.writeValueAsString(m));
    } catch (IOException e) {
      ctx.status(p.status()).result(p.title());
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = LikenessServer.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
    searchPool.shutdownNow();
  }
}
