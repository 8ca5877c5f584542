package org.likeness.server.routes;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.store.NotFoundException;
import org.likeness.gallery.store.StoredJob;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.GalleryService;
import org.likeness.server.auth.ApiKey;
import org.likeness.server.auth.ApiKeyAuthenticator;
import org.likeness.server.auth.MediaTokens;
import org.likeness.server.auth.Role;
import org.likeness.server.http.MediaSource;
import org.likeness.server.http.PartialContent;
import org.likeness.gallery.store.SealedMedia;
import org.likeness.server.http.Problem;
import org.likeness.server.http.RequestReader;
import org.likeness.server.http.Route;
import org.likeness.server.jobs.VideoJobs;
import org.likeness.video.ScanShapes;
import org.likeness.video.scan.MediaKind;
import org.likeness.video.scan.ScanService;

/**
 * Footage over HTTP: video uploads become jobs ({@code /v1/videos}, {@code /v1/jobs/{job}}), and
 * stored scans are read, reviewed, identified again and deleted ({@code /v1/scans}); a scan's
 * video is served with HTTP Range through a short-lived link so the page's player can seek.
 */
public final class VideoRoutes {
  private static final String SCAN = "/v1/scans/{scan}";
  private final ScanService scans;
  private final GalleryService galleries;
  private final VideoJobs jobs;
  private final MediaTokens tokens;
  private final org.likeness.gallery.store.ClusterStore clusterStore;
  private final RequestReader reader;
  private final long maxVideoBytes;
  private final PartialContent ranges = new PartialContent();
  private final MediaSource media;
  private final ScanMedia scanMedia;

  /** The routes, serving media recorded by a URI that is not a local file through {@code media} ({@link MediaSource#NONE}: none). */
  public VideoRoutes(ScanService scans, GalleryService galleries, VideoJobs jobs, MediaTokens tokens, RequestReader reader,
      long maxVideoBytes, org.likeness.gallery.store.ClusterStore clusterStore, MediaSource media) {
    this.media = media;
    this.scanMedia = new ScanMedia(media);
    this.scans = scans;
    this.galleries = galleries;
    this.jobs = jobs;
    this.tokens = tokens;
    this.clusterStore = clusterStore;
    this.reader = reader;
    this.maxVideoBytes = maxVideoBytes;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/videos", Role.SEARCH, this::upload),
        new Route("GET", "/v1/jobs/{job}", Role.SEARCH, this::job),
        new Route("DELETE", "/v1/jobs/{job}", Role.SEARCH, this::cancel),
        new Route("GET", "/v1/scans", Role.READ, this::list),
        new Route("GET", SCAN, Role.READ, this::show),
        new Route("DELETE", SCAN, Role.ADMIN, this::delete),
        new Route("POST", SCAN + "/rescan", Role.SEARCH, this::rescan),
        new Route("GET", SCAN + "/video", null, this::video),
        new Route("GET", SCAN + "/photo", null, this::photo),
        new Route("GET", SCAN + "/tracks/{track}/crop", Role.READ, this::crop),
        new Route("PUT", SCAN + "/tracks/{track}/verdict", Role.ENROLL, this::verdict));
  }

  // ---- jobs

  private void upload(Context ctx) throws IOException {
    String gallery = ctx.queryParam("gallery");
    ApiKey key = ApiKeyAuthenticator.key(ctx);
    if (gallery == null && key.gallery() != null) {
      gallery = key.gallery(); // a scan without a gallery would be out of this key's own reach
    }
    if (gallery != null) {
      galleries.searchable(gallery); // unknown gallery or another pack: refused before the upload is read
    }
    double fps = doubleParam(ctx, "fps", 5, 0, 120);
    Double fpir = RequestReader.rateParam(ctx, "fpir");
    if (jobs.full()) {
      throw new Problem(503, "Video queue full", "too many videos are waiting to be scanned; try again later", 30);
    }
    Path file = jobs.newUploadFile();
    String name;
    try {
      name = receive(ctx, file);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    StoredJob job;
    try {
      job = jobs.submit(ApiKeyAuthenticator.actor(ctx), gallery, file, name, fps, fpir).orElse(null);
    } catch (IOException | RuntimeException e) { // not queued: nothing of the upload stays
      Files.deleteIfExists(file);
      throw e;
    }
    if (job == null) {
      Files.deleteIfExists(file);
      throw new Problem(503, "Video queue full", "too many videos are waiting to be scanned; try again later", 30);
    }
    ctx.status(202).header("Location", "/v1/jobs/" + job.id()).json(jobShape(job, false));
  }

  /** Streams the upload to {@code file} (a multipart field {@code video}, or the raw body), refusing past the limit; returns its name. */
  private String receive(Context ctx, Path file) throws IOException {
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    if (type.startsWith("multipart/form-data")) {
      UploadedFile up = reader.part(ctx, "video");
      if (up == null) {
        throw new Problem(400, "Missing video", "send the video as multipart field 'video', or as the request body");
      }
      try (InputStream in = up.content()) {
        copy(in, file);
      }
      return up.filename();
    }
    try (InputStream in = ctx.bodyInputStream()) {
      copy(in, file);
    }
    String name = ctx.queryParam("name");
    return name != null && !name.isBlank() ? name : "upload";
  }

  private void copy(InputStream in, Path file) throws IOException {
    long total = 0;
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > maxVideoBytes) {
          throw new Problem(413, "Video too large", "videos up to " + maxVideoBytes + " bytes are accepted");
        }
        out.write(buf, 0, n);
      }
    }
    if (total == 0) {
      throw new Problem(400, "Empty upload", "the request carried no video");
    }
  }

  private void job(Context ctx) {
    StoredJob j = visibleJob(ctx);
    ctx.json(jobShape(j, true));
  }

  private void cancel(Context ctx) {
    StoredJob j = visibleJob(ctx);
    StoredJob now = jobs.cancel(ApiKeyAuthenticator.actor(ctx), j.id())
        .orElseThrow(() -> new Problem(409, "Job finished", "job " + j.id() + " is " + j.state() + "; delete its scan instead"));
    ctx.json(jobShape(now, false));
  }

  private StoredJob visibleJob(Context ctx) {
    StoredJob j = jobs.job(ctx.pathParam("job")).orElseThrow(() -> new NotFoundException("no job " + ctx.pathParam("job")));
    requireGallery(ctx, j.gallery());
    return j;
  }

  /** A video job as answers show it; {@code result} (the shape of {@code video scan}) only once done and asked for. */
  record JobShown(String id, String state, double progress, String gallery, String name, String created, String updated, String error,
      Long scan, @JsonInclude(JsonInclude.Include.NON_NULL) ScanShapes.VideoScanShown result) {}

  /** What a rescan did: the scan it updated (against another gallery, that gallery's own scan of the media), and the decisions that changed. */
  record Rescanned(long scan, String gallery, List<ScanService.Changed> changed) {}

  /** A track's verdict as it now stands, after a reviewer set or cleared it (all null once cleared). */
  /** The scans a key may see. */
  record ScanList(List<ScanShapes.Listed> scans) {}

  private JobShown jobShape(StoredJob j, boolean withResult) {
    ScanShapes.VideoScanShown result = null;
    if (withResult && j.scanId() != null) {
      result = scans.store().scan(j.scanId()).map(s -> {
        ScanShapes.VideoScanShown r = ScanShapes.asVideoScan(s, scans.store().sightings(s.id()), j.name());
        return r.error() == null ? r : r.withError(named(j, r.error()));
      }).orElse(null);
    }
    return new JobShown(j.id(), j.state(), Math.round(j.progress() * 1000) / 1000.0, j.gallery(), j.name(), j.created().toString(),
        j.updated().toString(), named(j, j.error()), j.scanId(), result);
  }

  /** A job's message with the server's path of its upload replaced by the name it was given (decoders name the file they read). */
  private String named(StoredJob j, String message) {
    return message == null ? null : jobs.withoutUploadPaths(message.replace(j.upload(), j.name()));
  }

  // ---- scans

  private void list(Context ctx) {
    ApiKey key = ApiKeyAuthenticator.key(ctx);
    ctx.json(new ScanList(scans.store().scans().stream().filter(s -> covers(key, s.gallery())).map(ScanShapes::listed).toList()));
  }

  private void show(Context ctx) {
    StoredScan s = visibleScan(ctx);
    ScanShapes.StoredScanShown stored = ScanShapes.stored(s, scans.store().sightings(s.id()), false);
    boolean servable = scanMedia.locate(s) != null; // by length: the content is checked when it is served
    // the unknown-faces cluster each track is in, for the page's grouping; where the page fetches the media
    ctx.json(stored.forPage(stored.error() == null ? null : jobs.withoutUploadPaths(stored.error()),
        s.media().video() ? clusterStore.clustersOfScan(s.id()) : Map.of(),
        s.media().video() && servable ? "/v1/scans/" + s.id() + "/video?token=" + tokens.issue(s.id()) : null,
        !s.media().video() && servable ? "/v1/scans/" + s.id() + "/photo?token=" + tokens.issue(s.id()) : null));
  }

  private void delete(Context ctx) throws IOException {
    StoredScan s = visibleScan(ctx);
    ctx.json(scans.edits().delete(ApiKeyAuthenticator.actor(ctx), s.id()));
  }

  private void rescan(Context ctx) {
    StoredScan s = visibleScan(ctx);
    String gallery = ctx.queryParam("gallery") != null ? ctx.queryParam("gallery") : s.gallery(); // none named: its own
    requireGallery(ctx, gallery);
    ScanService.Rescan r = scans.rescan(ApiKeyAuthenticator.actor(ctx), s.id(), gallery,
        galleries.policy(RequestReader.rateParam(ctx, "fmr"), RequestReader.rateParam(ctx, "fpir"), SearchMethod.AUTO, Aggregation.MAX),
        RequestReader.intParam(ctx, "top", 5, 1, 100));
    ctx.json(new Rescanned(r.scan().id(), r.scan().gallery(), r.changed()));
  }

  /** The stored video, with Range (206 partial content) so a player can seek; opened by the link {@link #show} gives. */
  private void video(Context ctx) throws IOException {
    long id = scanId(ctx);
    if (!tokens.valid(ctx.queryParam("token"), id)) {
      throw new Problem(401, "Link expired or invalid", "ask GET /v1/scans/" + id + " for a fresh videoUrl");
    }
    StoredScan s = scans.store().requireScan(id);
    ScanMedia.Served m = s.media().video() ? scanMedia.verified(s) : null;
    if (m == null) {
      throw new Problem(404, "No stored video", "the server keeps no copy of this video, and the scanned file is gone or changed");
    }
    if (m.uri() != null) {
      java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
      media.read(m.uri(), 0, Math.min(16, m.length()), head);
      ranges.sendFrom(ctx, media, m.uri(), m.length(), MediaKind.mimeType(head.toByteArray()));
    } else if (SealedMedia.isSealed(m.file())) {
      SealedMedia sealer = sealer();
      java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
      sealer.read(m.file(), 0, Math.min(16, sealer.length(m.file())), head);
      ranges.sendSealed(ctx, m.file(), sealer, MediaKind.mimeType(head.toByteArray()));
    } else {
      ranges.send(ctx, m.file(), MediaKind.mimeType(m.file()));
    }
  }

  /** The sealer of kept media; a sealed file without the key configured is the server's fault, said plainly. */
  private SealedMedia sealer() {
    return scans.store().store().mediaSealer().orElseThrow(() -> new Problem(500, "Media sealed",
        "this media is sealed at rest and the server has no template key (LIKENESS_TEMPLATE_KEY) to open it"));
  }

  /** A scanned photo, served as it was scanned (its content is checked against the scan's hash); opened by the scan's photoUrl. */
  private void photo(Context ctx) throws IOException {
    long id = scanId(ctx);
    if (!tokens.valid(ctx.queryParam("token"), id)) {
      throw new Problem(401, "Link expired or invalid", "ask GET /v1/scans/" + id + " for a fresh photoUrl");
    }
    StoredScan s = scans.store().requireScan(id);
    ScanMedia.Served m = s.media().video() ? null : scanMedia.verified(s);
    if (m == null) {
      throw new Problem(404, "No photo", "the scanned photo is gone or changed since it was scanned");
    }
    byte[] bytes = m.bytes() != null ? m.bytes() : SealedMedia.isSealed(m.file()) ? sealer().readAll(m.file()) : Files.readAllBytes(m.file());
    ctx.contentType(MediaKind.mimeType(bytes)).result(bytes); // only the first bytes are read
  }

  /** The media type a browser needs to play the stored file, from its first bytes. */
  private void crop(Context ctx) {
    StoredScan s = visibleScan(ctx);
    StoredSighting g = scans.store().requireSighting(s.id(), trackNumber(ctx));
    if (g.cropPng() == null) {
      throw new Problem(404, "No crop stored", "this sighting has no best-frame crop");
    }
    ctx.contentType("image/png").result(g.cropPng());
  }

  private void verdict(Context ctx) {
    StoredScan s = visibleScan(ctx);
    var body = reader.jsonBody(ctx);
    var v = body.path("verdict");
    if (!v.isNull() && !v.isTextual()) {
      throw new Problem(400, "Missing verdict", "send {\"verdict\": \"confirmed\" | \"rejected\" | null}");
    }
    var seen = body.path("subject"); // optional: the name the reviewer was shown; 409 if the track names another now
    if (!seen.isMissingNode() && !seen.isNull() && !seen.isTextual()) {
      throw new Problem(400, "Bad subject", "'subject' is the name the track was shown with, a string");
    }
    StoredSighting g = scans.edits().verdict(ApiKeyAuthenticator.actor(ctx), s.id(), trackNumber(ctx), v.isNull() ? null : v.asText(),
        seen.isTextual() ? seen.asText() : null);
    ctx.json(ScanShapes.VerdictSet.of(s.id(), g));
  }

  private StoredScan visibleScan(Context ctx) {
    StoredScan s = scans.store().requireScan(scanId(ctx));
    requireGallery(ctx, s.gallery());
    return s;
  }

  /** A key limited to one gallery sees only that gallery's jobs and scans. */
  private static void requireGallery(Context ctx, String gallery) {
    ApiKey key = ApiKeyAuthenticator.key(ctx);
    if (!covers(key, gallery)) {
      throw new Problem(403, "Forbidden", "this key is limited to gallery '" + key.gallery() + "'");
    }
  }

  private static boolean covers(ApiKey key, String gallery) {
    return key == null || key.gallery() == null || key.gallery().equals(gallery);
  }

  private static long scanId(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("scan"));
    } catch (NumberFormatException e) {
      throw new Problem(400, "Bad scan id", "a scan id is a number");
    }
  }

  private static int trackNumber(Context ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("track"));
    } catch (NumberFormatException e) {
      throw new Problem(400, "Bad track number", "a track number is a number");
    }
  }

  private static double doubleParam(Context ctx, String name, double dflt, double min, double max) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(v);
      if (d >= min && d <= max) {
        return d;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new Problem(400, "Bad " + name, name + " must be a number from " + min + " to " + max);
  }
}
