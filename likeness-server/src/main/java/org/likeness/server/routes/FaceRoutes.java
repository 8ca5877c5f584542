package org.likeness.server.routes;

import io.javalin.http.Context;
import java.util.List;
import org.likeness.gallery.service.GalleryService;
import org.likeness.server.auth.ApiKeyAuthenticator;
import org.likeness.server.auth.Role;
import org.likeness.server.http.Problem;
import org.likeness.server.http.RequestReader;
import org.likeness.server.http.Route;

/** Single enrolled faces: move to another subject, delete, fetch the stored crop. */
public final class FaceRoutes {
  private static final String BASE = "/v1/galleries/{gallery}/faces/{face}";
  private final GalleryService galleries;
  private final RequestReader reader;

  public FaceRoutes(GalleryService galleries, RequestReader reader) {
    this.galleries = galleries;
    this.reader = reader;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", BASE + "/move", Role.ENROLL, this::move),
        new Route("POST", BASE + "/confirm", Role.ENROLL, this::confirm),
        new Route("DELETE", BASE, Role.ADMIN, this::delete),
        new Route("GET", BASE + "/crop", Role.READ, this::crop));
  }

  private void move(Context ctx) {
    long face = RequestReader.faceId(ctx);
    String to = reader.textField(ctx, "subject", "Missing subject", "{\"subject\": NAME}");
    ctx.json(galleries.edits().moveFace(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), face, to));
  }

  /** A person confirms a face enrolment hygiene flagged: it is searched again. */
  private void confirm(Context ctx) {
    ctx.json(galleries.suspectFaces().confirm(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), RequestReader.faceId(ctx)));
  }

  private void delete(Context ctx) {
    ctx.json(galleries.edits().deleteFace(ApiKeyAuthenticator.actor(ctx), ctx.pathParam("gallery"), RequestReader.faceId(ctx)));
  }

  private void crop(Context ctx) {
    byte[] png = galleries.faceCrop(ctx.pathParam("gallery"), RequestReader.faceId(ctx)).orElseThrow(() ->
        new Problem(404, "No crop stored", "this face was enrolled without a crop (crops are off by default)"));
    ctx.contentType("image/png").result(png);
  }
}
