package org.likeness.server.routes;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.image.RgbImage;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.service.Answers;
import org.likeness.gallery.service.Shapes;
import org.likeness.server.auth.ApiKeyAuthenticator;
import org.likeness.server.auth.Role;
import org.likeness.server.http.EngineGate;
import org.likeness.server.http.Problem;
import org.likeness.server.http.RequestReader;
import org.likeness.server.http.RequestReader.Upload;
import org.likeness.server.http.Route;

/** The engine on its own, no gallery: {@code /v1/detect}, {@code /v1/verify}, {@code /v1/embed}. */
public final class EngineRoutes {
  private final FaceEngine engine;
  private final AuditLog audit;
  private final RequestReader reader;
  private final EngineGate gate;

  public EngineRoutes(FaceEngine engine, AuditLog audit, RequestReader reader, EngineGate gate) {
    this.engine = engine;
    this.audit = audit;
    this.reader = reader;
    this.gate = gate;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/detect", Role.SEARCH, gate.gated(this::detect)),
        new Route("POST", "/v1/verify", Role.SEARCH, gate.gated(this::verify)),
        new Route("POST", "/v1/embed", Role.SEARCH, gate.gated(this::embed)));
  }

  private RgbImage decode(Upload up) throws ImageDecodeException {
    return engine.decoder().decode(up.bytes(), up.field());
  }

  private void detect(Context ctx) throws Exception {
    Upload up = reader.upload(ctx, "image");
    RgbImage image = decode(up);
    List<Face> faces = engine.detect(image);
    audit.append(ApiKeyAuthenticator.actor(ctx), "detect", null, Map.of("images", List.of(up.sha256())), Map.of("faces", faces.size()));
    ctx.json(new Detected(image.width(), image.height(), faces.stream().map(f -> Shapes.face(f, false)).toList()));
  }

  private void verify(Context ctx) throws Exception {
    int dim = engine.embedder().dimension();
    String pack = engine.pack().id();
    float[] ea = reader.embedding(ctx, "embedding_a", dim, pack), eb = reader.embedding(ctx, "embedding_b", dim, pack);
    if (ea != null || eb != null) { // embeddings in
      if (ea == null || eb == null) {
        throw new Problem(400, "Missing embedding", "give both embedding_a and embedding_b");
      }
      Shapes.Verdict v = Shapes.verification(engine.verifier().verify(ea, eb));
      audit.append(ApiKeyAuthenticator.actor(ctx), "verify", null, Map.of("embeddings", 2), Answers.fields(v));
      ctx.json(v);
      return;
    }
    Upload a = reader.upload(ctx, "image_a"), b = reader.upload(ctx, "image_b");
    Face fa = engine.mostProminent(decode(a)).orElseThrow(() -> new Problem(422, "No face", "no face found in image_a"));
    Face fb = engine.mostProminent(decode(b)).orElseThrow(() -> new Problem(422, "No face", "no face found in image_b"));
    Shapes.Verdict v = Shapes.verification(engine.verifier().verify(fa.embedding(), fb.embedding()));
    audit.append(ApiKeyAuthenticator.actor(ctx), "verify", null, Map.of("images", List.of(a.sha256(), b.sha256())), Answers.fields(v));
    ctx.json(v);
  }


  private void embed(Context ctx) throws Exception {
    Upload up = reader.upload(ctx, "image");
    List<Face> faces = engine.analyze(decode(up));
    List<EmbeddedFace> out = faces.stream().map(f -> new EmbeddedFace(Shapes.box(f.box()), Shapes.round4(f.score()), f.embedding())).toList();
    audit.append(ApiKeyAuthenticator.actor(ctx), "embed", null, Map.of("images", List.of(up.sha256())), Map.of("faces", faces.size()));
    ctx.json(new Embedded(engine.pack().id(), engine.embedder().dimension(), out));
  }

  /** The {@code /v1/detect} answer: the image's size and each face found. */
  record Detected(int width, int height, List<Shapes.Detected> faces) {}

  /** A face of {@code /v1/embed}: box, detector score, the pack's template. */
  record EmbeddedFace(Shapes.BoxShown box, double score, float[] embedding) {}

  /** The {@code /v1/embed} answer: the pack and dimension the templates are of, and each face. */
  record Embedded(String pack, int dimension, List<EmbeddedFace> faces) {}
}
