package org.likeness.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.server.auth.ApiKeyAuthenticator;
import org.likeness.server.auth.KeyAdmin;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.http.MediaSource;
import org.likeness.server.http.EngineGate;
import org.likeness.server.http.Problem;
import org.likeness.server.http.ProblemErrorHandler;
import org.likeness.server.http.Problems;
import org.likeness.server.http.RequestReader;
import org.likeness.server.http.Route;
import org.likeness.server.http.SecurityHeaders;
import org.likeness.server.routes.AuditRoutes;
import org.likeness.server.routes.EngineRoutes;
import org.likeness.server.routes.FaceRoutes;
import org.likeness.server.routes.GalleryRoutes;
import org.likeness.server.routes.KeyRoutes;
import org.likeness.server.routes.PageRoutes;
import org.likeness.server.routes.SubjectRoutes;
import org.likeness.server.routes.PeopleRoutes;
import org.likeness.report.EvidenceCollector;
import org.likeness.report.ReportService;
import org.likeness.server.routes.VideoRoutes;
import org.likeness.server.routes.ClusterRoutes;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.server.jobs.VideoJobs;
import org.likeness.server.auth.MediaTokens;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.scan.ScanService;
import java.time.Clock;

/**
 * The REST API: the gallery service and the engine over HTTP, behind API keys with roles, every
 * operation appended to the audit trail, engine work admitted through a bounded gate (503 +
 * Retry-After when full, never unbounded queues). Wiring is explicit: {@link #routes()}, the route
 * groups' tables joined, is the whole surface.
 */
public final class LikenessServer implements AutoCloseable {
  /** Answers are rendered by the one codec the CLI uses too. */
  private static final ObjectMapper JSON = new org.likeness.gallery.service.AnswerJson().mapper();

  private final ServerConfig config;
  private final GalleryService galleries;
  private final List<Route> routes;
  private final ApiKeyAuthenticator authenticator;
  private final Problems problems = new Problems(JSON);
  private final RequestReader reader;
  private final VideoJobs jobs;
  private final ClusterService clusters;
  private final SecurityHeaders security;
  /** Other servers' changes heard as they commit (PostgreSQL); null on SQLite. */
  private final org.likeness.gallery.store.ChangeFeed changes;
  private Javalin app;

  /** A server over {@code store}, {@code keys} and {@code audit} with {@code engine}; its pages serve media kept as local files only. */
  public LikenessServer(FaceEngine engine, GalleryStore store, KeyStore keys, AuditLog audit, ServerConfig config) {
    this(engine, store, keys, audit, config, MediaSource.NONE);
  }

  /** As above, the review pages also reading media recorded by URI (a Spark job's {@code hdfs://}, {@code s3a://}) through {@code media}. */
  public LikenessServer(FaceEngine engine, GalleryStore store, KeyStore keys, AuditLog audit, ServerConfig config, MediaSource media) {
    this.config = config;
    this.galleries = new GalleryService(store, audit, engine);
    this.changes = org.likeness.gallery.store.ChangeFeed.start(store.database(), galleries::changedElsewhere,
        keys::forget, galleries::refreshAll);
    this.reader = new RequestReader(JSON, config.maxUploadBytes());
    EngineGate gate = new EngineGate(config.maxInFlight());
    List<Route> all = new ArrayList<>();
    PageRoutes pages = new PageRoutes(engine);
    this.security = new SecurityHeaders(pages.pages());
    all.addAll(pages.routes());
    all.addAll(new EngineRoutes(engine, audit, reader, gate).routes());
    all.addAll(new GalleryRoutes(galleries, engine, reader, gate, config.identifyTop()).routes());
    all.addAll(new SubjectRoutes(galleries, reader, gate).routes());
    all.addAll(new PeopleRoutes(new ReportService(store, audit, pack -> {
      var c = pack.equals(engine.pack().id()) ? engine.verifier().calibration() : null;
      return c == null ? null : c.source() + " (" + c.impostorPairs() + " impostor pairs)";
    }), new EvidenceCollector(store, audit), reader).routes());
    all.addAll(new FaceRoutes(galleries, reader).routes());
    all.addAll(new AuditRoutes(audit).routes());
    all.addAll(new KeyRoutes(new KeyAdmin(keys, audit), reader, store).routes());
    ScanService scans = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
    this.clusters = new ClusterService(store, galleries, audit, engine.pack().id(), engine.embedder().dimension(),
        ClusterThresholds.forPack(engine.pack()));
    all.addAll(new ClusterRoutes(clusters, galleries, store, engine, reader, gate).routes());
    try {
      this.jobs = new VideoJobs(scans, audit, store.storage().media(), config.maxQueuedJobs(), config.jobLease(),
          fpir -> galleries.policy(null, fpir, SearchMethod.AUTO, Aggregation.MAX), clusters::update);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot open the video upload folder: " + e.getMessage(), e);
    }
    all.addAll(new VideoRoutes(scans, galleries, jobs, new MediaTokens(3600, Clock.systemUTC()), reader,
        config.maxVideoBytes(), store.repositories().clusters(), media).routes());
    this.routes = List.copyOf(all);
    this.authenticator = new ApiKeyAuthenticator(keys, audit, routes);
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
      // A multipart video may be as large as a video; each image route checks its own part's size.
      long multipart = Math.max(config.maxUploadBytes(), config.maxVideoBytes());
      cfg.jetty.multipartConfig.maxFileSize(multipart, SizeUnit.BYTES);
      cfg.jetty.multipartConfig.maxTotalRequestSize(multipart, SizeUnit.BYTES);
      // Requests Jetty refuses before Javalin sees them (unparsable, URI too long) answer problem+json too.
      cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler(JSON, security)));
      cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new ProblemErrorHandler(JSON, security)));
    });
    app.before(ctx -> security.apply(ctx::header));
    app.beforeMatched(authenticator::authenticate); // after route matching, so the route's role is known
    for (Route r : routes) {
      app.addHttpHandler(HandlerType.valueOf(r.method()), r.path(), r.handler());
    }
    app.exception(Exception.class, (e, ctx) -> problems.write(ctx, problems.of(ctx, e)));
    app.error(404, ctx -> {
      if (!"application/problem+json".equals(ctx.res().getContentType())) {
        problems.write(ctx, new Problem(404, "Not Found", ctx.method() + " " + ctx.path() + " is not a route"));
      }
    });
    app.error(413, ctx -> problems.write(ctx, reader.tooLarge()));
    app.start(host, port);
    return app.port();
  }

  /** Stops listening, then the video worker (a running job stays queued for the next start), then the open galleries. */
  @Override
  public void close() {
    try {
      if (app != null) {
        app.stop();
      }
      if (changes != null) {
        changes.close();
      }
    } finally {
      try {
        jobs.close();
      } finally {
        try {
          clusters.close();
        } finally {
          galleries.close();
        }
      }
    }
  }
}
