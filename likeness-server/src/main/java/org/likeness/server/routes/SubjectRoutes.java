package org.likeness.server.routes;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.enroll.EnrollOutcome;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.Shapes;
import org.likeness.server.auth.ApiKeyAuthenticator;
import org.likeness.server.auth.Role;
import org.likeness.server.http.EngineGate;
import org.likeness.server.http.Problem;
import org.likeness.server.http.RequestReader;
import org.likeness.server.http.Route;

/** The subjects of a gallery: list, show, rename, enrol a face, merge, delete. */
public final class SubjectRoutes {
  private static final String BASE = "/v1/galleries/{gallery}/subjects";
  private final GalleryService galleries;
  private final RequestReader reader;
  private final EngineGate gate;

  public SubjectRoutes(GalleryService galleries, RequestReader reader, EngineGate gate) {
    this.galleries = galleries;
    this.reader = reader;
    this.gate = gate;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", BASE, Role.READ, this::list),
        new Route("GET", BASE + "/{subject}", Role.READ, this::show),
        new Route("PATCH", BASE + "/{subject}", Role.ENROLL, this::rename),
        new Route("POST", BASE + "/{subject}/faces", Role.ENROLL, gate.gated(this::enrol)),
        new Route("POST", BASE + "/{subject}/merge", Role.ENROLL, this::merge),
        new Route("DELETE", BASE + "/{subject}", Role.ADMIN, this::delete),
        new Route("GET", "/v1/galleries/{gallery}/suspects", Role.READ, this::suspects),
        new Route("POST", "/v1/galleries/{gallery}/suspects/check", Role.ENROLL, this::check));
  }

  private void list(Context ctx) {
    String gallery = ctx.pathParam("gallery");
    var out = galleries.subjects(gallery).stream().map(s -> Map.of("name", s.name(), "faces", s.faces())).toList();
    ctx.json(Map.of("gallery", gallery, "subjects", out));
  }

  private void show(Context ctx) {
    ctx.json(galleries.subject(ctx.pathParam("gallery"), ctx.pathParam("subject")));
  }

  private void rename(Context ctx) {
    String to = reader.textField(ctx, "name", "Missing name", "{\"name\": NEW_NAME}");
    ctx.json(galleries.rename(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), ctx.pathParam("subject"), to));
  }

  private void enrol(Context ctx) throws Exception {
    RequestReader.Upload up = reader.upload(ctx, "image");
    EnrollOutcome o = galleries.enroll(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), ctx.pathParam("subject"), up.bytes());
    if (o.status() == EnrollOutcome.Status.REJECTED) {
      throw new Problem(422, "Not enrolled", o.reason());
    }
    Map<String, Object> m = new java.util.LinkedHashMap<>(Shapes.enrollOutcome(o));
    // enrolment hygiene: a face that disagrees with the subject's others is kept out of decisions until confirmed
    m.put("suspect", galleries.isSuspect(ctx.pathParam("gallery"), o.faceId()));
    ctx.status(o.status() == EnrollOutcome.Status.ENROLLED ? 201 : 200).json(m);
  }

  /** The faces enrolment hygiene flagged (read only). */
  private void suspects(Context ctx) {
    String gallery = ctx.pathParam("gallery");
    ctx.json(Map.of("gallery", gallery, "threshold", Shapes.round4(galleries.agreementThreshold(gallery)),
        "suspects", galleries.suspects(gallery).stream().map(SubjectRoutes::suspect).toList()));
  }

  /** Checks every subject again (flags and clears), then lists the suspects. */
  private void check(Context ctx) {
    String gallery = ctx.pathParam("gallery");
    var found = galleries.check(ApiKeyAuthenticator.actor(ctx), gallery);
    ctx.json(Map.of("gallery", gallery, "threshold", Shapes.round4(galleries.agreementThreshold(gallery)),
        "suspects", found.stream().map(SubjectRoutes::suspect).toList()));
  }

  private static Map<String, Object> suspect(org.likeness.gallery.service.EnrolmentHygiene.Suspect x) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("subject", x.subject());
    m.put("face", x.faceId());
    m.put("image", x.imageSha256());
    m.put("agreement", Double.isNaN(x.agreement()) ? null : Shapes.round4(x.agreement()));
    return m;
  }

  private void merge(Context ctx) {
    String into = reader.textField(ctx, "into", "Missing target", "{\"into\": SUBJECT}");
    ctx.json(galleries.merge(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), ctx.pathParam("subject"), into));
  }

  private void delete(Context ctx) {
    ctx.json(galleries.deleteSubject(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), ctx.pathParam("subject")));
  }
}
