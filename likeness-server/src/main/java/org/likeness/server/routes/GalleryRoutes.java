package org.likeness.server.routes;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageEncoder;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.server.auth.ApiKey;
import org.likeness.server.auth.ApiKeyAuthenticator;
import org.likeness.server.auth.Role;
import org.likeness.server.http.EngineGate;
import org.likeness.server.http.Problem;
import org.likeness.server.http.RequestReader;
import org.likeness.server.http.RequestReader.Upload;
import org.likeness.server.http.Route;

/** Galleries as a whole: list, create, export, and identification against one ({@code /v1/identify}). */
public final class GalleryRoutes {
  private final GalleryService galleries;
  private final FaceEngine engine;
  private final RequestReader reader;
  private final EngineGate gate;
  private final int defaultTop;

  public GalleryRoutes(GalleryService galleries, FaceEngine engine, RequestReader reader, EngineGate gate, int defaultTop) {
    this.galleries = galleries;
    this.engine = engine;
    this.reader = reader;
    this.gate = gate;
    this.defaultTop = defaultTop;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/identify", Role.SEARCH, gate.gated(this::identify)),
        new Route("GET", "/v1/galleries", Role.READ, this::list),
        new Route("POST", "/v1/galleries", Role.ADMIN, this::create),
        new Route("PATCH", "/v1/galleries/{gallery}", Role.ADMIN, this::settings),
        new Route("GET", "/v1/galleries/{gallery}/export", Role.ADMIN, this::export));
  }

  private void identify(Context ctx) throws Exception {
    String name = ctx.queryParam("gallery");
    if (name == null) {
      throw new Problem(400, "Missing gallery", "pass ?gallery=NAME");
    }
    int top = RequestReader.intParam(ctx, "top", defaultTop, 1, 100);
    boolean crops = RequestReader.flag(ctx, "crops");
    MatchPolicy policy = galleries.policy(RequestReader.rateParam(ctx, "fmr"), RequestReader.rateParam(ctx, "fpir"), method(ctx),
        Aggregation.MAX);
    float[] given = reader.embedding(ctx, "embedding", engine.embedder().dimension(), engine.pack().id());
    if (given != null) { // an embedding in: the template made elsewhere with the same pack
      Identification id = galleries.identify(ApiKeyAuthenticator.actor(ctx), name, given, top, policy);
      ctx.json(Map.of("faces", List.of(Shapes.identifiedFace(null, id))));
      return;
    }
    Upload up = reader.upload(ctx, "image");
    GalleryService.Identified found = galleries.identify(ApiKeyAuthenticator.actor(ctx), name, up.bytes(), up.field(), top, policy);
    List<Shapes.Identified> faces = new ArrayList<>();
    for (int i = 0; i < found.faces().size(); i++) {
      Identification id = found.identifications().get(i);
      Shapes.Identified face = Shapes.identifiedFace(found.faces().get(i), id);
      if (crops) { // for the review page: the probe crop, and which stored face each candidate matched
        face = face.withEvidence("data:image/png;base64," + Base64.getEncoder().encodeToString(
            ImageEncoder.png(found.faces().get(i).aligned())), id);
      }
      faces.add(face);
    }
    ctx.json(Map.of("faces", faces));
  }

  /** The {@code method} query parameter: auto (default, by gallery size), exact, int8 or hnsw. */
  private static SearchMethod method(Context ctx) {
    String v = ctx.queryParam("method");
    if (v == null) {
      return SearchMethod.AUTO;
    }
    try {
      return SearchMethod.valueOf(v.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Problem(400, "Bad parameter", "method must be one of auto, exact, int8, hnsw");
    }
  }

  private void list(Context ctx) {
    ApiKey key = ApiKeyAuthenticator.key(ctx);
    var out = galleries.galleries().stream().filter(g -> key.coversGallery(g.name())).toList();
    ctx.json(Map.of("galleries", out));
  }

  /** {@code {"keepCrops": true|false}}: whether enrolment keeps face crops for reviewers; false deletes those kept. */
  private void settings(Context ctx) {
    com.fasterxml.jackson.databind.JsonNode keep = reader.jsonBody(ctx).path("keepCrops");
    if (!keep.isBoolean()) {
      throw new Problem(400, "Missing keepCrops", "send {\"keepCrops\": true | false}");
    }
    ctx.json(galleries.keepCrops(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), keep.asBoolean()));
  }

  private void create(Context ctx) {
    String name = reader.textField(ctx, "name", "Missing name", "{\"name\": ...}");
    com.fasterxml.jackson.databind.JsonNode keep = reader.jsonBody(ctx).path("keepCrops");
    if (!keep.isMissingNode() && !keep.isBoolean()) {
      throw new Problem(400, "Bad keepCrops", "keepCrops is true or false");
    }
    GalleryInfo g = galleries.create(ApiKeyAuthenticator.actor(ctx), name);
    if (keep.asBoolean(false)) {
      galleries.keepCrops(ApiKeyAuthenticator.actor(ctx), g.name(), true);
    }
    ctx.status(201).json(Map.of("name", g.name(), "pack", g.packId(), "keepCrops", keep.asBoolean(false)));
  }

  /** The gallery as a versioned archive (templates in clear: admin only, audited). */
  private void export(Context ctx) throws IOException {
    String name = ctx.pathParam("gallery");
    Path tmp = Files.createTempFile("likeness-export", ".json");
    try {
      galleries.export(ApiKeyAuthenticator.actor(ctx), name, tmp);
      // a gallery's name may hold quotes or semicolons: the file name offered is made of safe characters only
      ctx.header("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".likeness.json\"");
      ctx.contentType("application/json");
      try (java.io.InputStream in = Files.newInputStream(tmp)) { // streamed: a large gallery is never held in memory whole
        in.transferTo(ctx.outputStream());
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
