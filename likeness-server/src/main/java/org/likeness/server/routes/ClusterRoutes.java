package org.likeness.server.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredFace;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.server.auth.ApiKey;
import org.likeness.server.auth.ApiKeyAuthenticator;
import org.likeness.server.auth.Role;
import org.likeness.server.http.EngineGate;
import org.likeness.server.http.Problem;
import org.likeness.server.http.RequestReader;
import org.likeness.server.http.Route;

/**
 * Unknown faces over HTTP: clusters and a reviewer's decisions on them, suggestions, sighting
 * crops, and every appearance of a person. Unknown faces span every scan, so these routes need a
 * key not limited to one gallery.
 */
public final class ClusterRoutes {
  private static final String ONE = "/v1/clusters/{cluster}";
  private final ClusterService clusters;
  private final GalleryService galleries;
  private final GalleryStore store;
  private final FaceEngine engine;
  private final RequestReader reader;
  private final EngineGate gate;

  public ClusterRoutes(ClusterService clusters, GalleryService galleries, GalleryStore store, FaceEngine engine, RequestReader reader,
      EngineGate gate) {
    this.clusters = clusters;
    this.galleries = galleries;
    this.store = store;
    this.engine = engine;
    this.reader = reader;
    this.gate = gate;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/v1/clusters", Role.READ, unlimited(ctx -> ctx.json(Map.of("clusters", clusters.list())))),
        new Route("GET", ONE, Role.READ, unlimited(ctx -> ctx.json(clusters.show(id(ctx, "cluster"))))),
        new Route("POST", ONE + "/name", Role.ENROLL, unlimited(this::name)),
        new Route("POST", ONE + "/merge", Role.ENROLL, unlimited(ctx ->
            ctx.json(clusters.merge(actor(ctx), id(ctx, "cluster"), longField(ctx, "into"))))),
        new Route("POST", ONE + "/split", Role.ENROLL, unlimited(this::split)),
        new Route("POST", ONE + "/remove-face", Role.ENROLL, unlimited(ctx ->
            ctx.json(clusters.removeFace(actor(ctx), id(ctx, "cluster"), longField(ctx, "sighting"))))),
        new Route("POST", ONE + "/reject", Role.ENROLL, unlimited(ctx ->
            ctx.json(clusters.reject(actor(ctx), id(ctx, "cluster"), longField(ctx, "other"))))),
        new Route("POST", "/v1/clusters/undo", Role.ENROLL, unlimited(ctx -> ctx.json(clusters.undo(actor(ctx), expectedDecision(ctx))))),
        new Route("POST", "/v1/clusters/update", Role.ENROLL, unlimited(ctx -> ctx.json(clusters.update(actor(ctx))))),
        new Route("POST", "/v1/clusters/rebuild", Role.ADMIN, unlimited(ctx -> ctx.json(clusters.rebuild(actor(ctx))))),
        new Route("GET", "/v1/cluster-suggestions", Role.READ, unlimited(ctx -> ctx.json(clusters.suggestions(ctx.queryParam("gallery"),
            galleries.policy(null, SearchMethod.AUTO, Aggregation.MAX), RequestReader.intParam(ctx, "limit", 20, 1, 500))))),
        new Route("GET", "/v1/sightings/{sighting}/crop", Role.READ, unlimited(this::crop)),
        new Route("GET", "/v1/appearances", Role.SEARCH, unlimited(this::bySubject)),
        new Route("POST", "/v1/appearances", Role.SEARCH, unlimited(gate.gated(this::byFace))));
  }

  private void name(Context ctx) {
    JsonNode b = reader.jsonBody(ctx);
    String subject = b.path("subject").asText(null), gallery = b.path("gallery").asText(null);
    if (subject == null || gallery == null) {
      throw new Problem(400, "Missing subject or gallery", "send {\"subject\": NAME, \"gallery\": G, \"force\": false}");
    }
    ctx.json(clusters.name(actor(ctx), id(ctx, "cluster"), gallery, subject, engine.verifier().threshold(), b.path("force").asBoolean(false)));
  }

  private void split(Context ctx) {
    JsonNode s = reader.jsonBody(ctx).path("sightings");
    if (!s.isArray() || s.isEmpty()) {
      throw new Problem(400, "Missing sightings", "send {\"sightings\": [ID, ...]}");
    }
    List<Long> ids = new ArrayList<>();
    s.forEach(x -> ids.add(x.asLong()));
    ctx.json(clusters.split(actor(ctx), id(ctx, "cluster"), ids));
  }

  private void crop(Context ctx) {
    long id = id(ctx, "sighting");
    List<ScanStore.Located> l = store.repositories().scans().locate(List.of(id));
    StoredSighting g = l.isEmpty() ? null : l.get(0).sighting();
    if (g == null || g.cropPng() == null) {
      throw new Problem(404, "No crop", "no sighting " + id + " with a crop");
    }
    ctx.contentType("image/png").result(g.cropPng());
  }

  private void bySubject(Context ctx) {
    String gallery = ctx.queryParam("gallery"), subject = ctx.queryParam("subject");
    if (subject == null) {
      throw new Problem(400, "Missing subject", "pass ?subject=S (and &gallery=G when several galleries have S), or POST a photo");
    }
    if (gallery == null) {
      gallery = clusters.galleryOf(subject);
    }
    var s = store.requireSubject(store.requireGallery(gallery).id(), subject);
    List<float[]> probes = store.facesOf(s.id()).stream().map(StoredFace::template).toList();
    ctx.json(clusters.appearances(actor(ctx), probes, gallery, subject, engine.verifier().threshold(), engine.verifier().calibration(),
        RequestReader.intParam(ctx, "limit", 100, 1, 10_000)));
  }

  private void byFace(Context ctx) throws Exception {
    RequestReader.Upload up = reader.upload(ctx, "image");
    Face f = engine.mostProminent(engine.decoder().decode(up.bytes(), up.field()))
        .orElseThrow(() -> new Problem(422, "No face", "no face was found in the photo"));
    ctx.json(clusters.appearances(actor(ctx), List.of(f.embedding()), null, null, engine.verifier().threshold(),
        engine.verifier().calibration(), RequestReader.intParam(ctx, "limit", 100, 1, 10_000)));
  }

  private static Handler unlimited(Handler h) {
    return ctx -> {
      ApiKey key = ApiKeyAuthenticator.key(ctx);
      if (key != null && key.gallery() != null) {
        throw new Problem(403, "Forbidden", "unknown faces span every scan: this needs a key not limited to one gallery");
      }
      h.handle(ctx);
    };
  }

  private static String actor(Context ctx) {
    return ApiKeyAuthenticator.actor(ctx);
  }

  private static long id(Context ctx, String param) {
    try {
      return Long.parseLong(ctx.pathParam(param));
    } catch (NumberFormatException e) {
      throw new Problem(400, "Bad " + param + " id", "a " + param + " id is a number");
    }
  }

  /** The decision an undo is meant for ({@code {"decision": ID}}), or null for whichever is latest; an empty body is allowed. */
  private Long expectedDecision(Context ctx) {
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    if (!type.startsWith("application/json") || ctx.header("Content-Length") != null && "0".equals(ctx.header("Content-Length"))) {
      return null;
    }
    JsonNode v = reader.jsonBody(ctx).path("decision");
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.canConvertToLong()) {
      throw new Problem(400, "Bad decision", "send {\"decision\": ID} for the decision to undo, or nothing for the latest");
    }
    return v.asLong();
  }

  private long longField(Context ctx, String field) {
    JsonNode v = reader.jsonBody(ctx).path(field);
    if (!v.canConvertToLong()) {
      throw new Problem(400, "Missing " + field, "send {\"" + field + "\": ID}");
    }
    return v.asLong();
  }
}
