package org.likeness.server.routes;

import io.javalin.http.Context;
import java.util.List;
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
    ctx.json(new Subjects(gallery, galleries.subjects(gallery).stream().map(s -> new SubjectCount(s.name(), s.faces())).toList()));
  }

  private void show(Context ctx) {
    ctx.json(galleries.subject(ctx.pathParam("gallery"), ctx.pathParam("subject")));
  }

  private void rename(Context ctx) {
    String to = reader.textField(ctx, "name", "Missing name", "{\"name\": NEW_NAME}");
    ctx.json(galleries.edits().rename(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), ctx.pathParam("subject"), to));
  }

  private void enrol(Context ctx) throws Exception {
    RequestReader.Upload up = reader.upload(ctx, "image");
    EnrollOutcome o = galleries.enroll(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), ctx.pathParam("subject"), up.bytes());
    if (o.status() == EnrollOutcome.Status.REJECTED) {
      throw new Problem(422, "Not enrolled", o.reason());
    }
    // enrolment hygiene: a face that disagrees with the subject's others is kept out of decisions until confirmed
    ctx.status(o.status() == EnrollOutcome.Status.ENROLLED ? 201 : 200)
        .json(new Enrolled(Shapes.enrollOutcome(o), galleries.suspectFaces().isSuspect(ctx.pathParam("gallery"), o.faceId())));
  }

  /** The faces enrolment hygiene flagged (read only). */
  private void suspects(Context ctx) {
    String gallery = ctx.pathParam("gallery");
    ctx.json(Shapes.suspects(gallery, galleries.suspectFaces().agreementThreshold(gallery), galleries.suspectFaces().list(gallery)));
  }

  /** Checks every subject again (flags and clears), then lists the suspects. */
  private void check(Context ctx) {
    String gallery = ctx.pathParam("gallery");
    var found = galleries.suspectFaces().check(ApiKeyAuthenticator.actor(ctx), gallery);
    ctx.json(Shapes.suspects(gallery, galleries.suspectFaces().agreementThreshold(gallery), found));
  }


  private void merge(Context ctx) {
    String into = reader.textField(ctx, "into", "Missing target", "{\"into\": SUBJECT}");
    ctx.json(galleries.edits().merge(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), ctx.pathParam("subject"), into));
  }

  private void delete(Context ctx) {
    ctx.json(galleries.edits().deleteSubject(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), ctx.pathParam("subject")));
  }

  /** The answer of an enrolment: its outcome, and whether enrolment hygiene flagged the face. */
  record Enrolled(@com.fasterxml.jackson.annotation.JsonUnwrapped Shapes.EnrollShown outcome, boolean suspect) {}

  /** A subject in the REST listing: its name and face count. */
  record SubjectCount(String name, int faces) {}

  /** The REST listing of a gallery's subjects. */
  record Subjects(String gallery, List<SubjectCount> subjects) {}
}
