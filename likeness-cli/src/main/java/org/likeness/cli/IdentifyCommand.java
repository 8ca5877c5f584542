package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.verify.ImpostorModel;
import org.likeness.gallery.Gallery;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness identify --gallery NAME IMAGE --json [--top K]}: open-set 1:N for every face. */
@Command(name = "identify", mixinStandardHelpOptions = true,
    description = "Who is in this photo? Every face against a gallery; 'unknown' (null) when nobody clears the threshold.")
final class IdentifyCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Option(names = "--gallery", required = true, paramLabel = "NAME")
  String gallery;

  @Parameters(index = "0", paramLabel = "IMAGE")
  Path image;

  @Option(names = "--top", paramLabel = "K", description = "Candidates per face (default: ${DEFAULT-VALUE}).")
  int top = 5;

  @Option(names = "--fmr", paramLabel = "RATE", description = "Decision threshold as a target false-match rate per comparison, e.g. 1e-3 (default: the pack's threshold).")
  Double fmr;

  @Option(names = "--method", description = "Search: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, by gallery size).")
  SearchMethod method = SearchMethod.AUTO;

  @Option(names = "--aggregation", description = "Per-subject score: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Aggregation aggregation = Aggregation.MAX;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  IdentifyCommand(Map<String, String> env) {
    this.env = env;
  }

  static MatchPolicy policy(FaceEngine engine, Double fmr, SearchMethod method, Aggregation aggregation) {
    ImpostorModel impostors = engine.pack().recognizer().impostors();
    if (fmr != null) {
      if (impostors == null) {
        throw new StoreException("pack " + engine.pack().id() + " has no impostor calibration; use --threshold");
      }
      return MatchPolicy.atFmr(fmr, impostors, method, aggregation);
    }
    return new MatchPolicy(method, aggregation, engine.verifier().threshold(), impostors);
  }

  @Override
  public Integer call() throws Exception {
    ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    try (GalleryStore store = Home.store(env); FaceEngine engine = engineArgs.open(env)) {
      Gallery g = Gallery.open(store, gallery, pool);
      if (!g.info().packId().equals(engine.pack().id())) {
        throw new StoreException("gallery '" + gallery + "' holds templates of pack " + g.info().packId()
            + "; refusing to search it with pack " + engine.pack().id() + " (use --pack " + g.info().packId() + ")");
      }
      MatchPolicy policy = policy(engine, fmr, method, aggregation);
      if (policy.method().resolve(g.index().size()) == SearchMethod.HNSW) {
        // A one-shot process cannot leave the build to the background: load the saved graph, or
        // build and save it once for the commands that follow.
        if (!g.index().hasGraph()) {
          spec.commandLine().getErr().println("identify: opening the saved HNSW graph, or building it once (" + g.index().size() + " templates)");
        }
        g.index().prepareHnsw();
      }
      byte[] bytes = engine.decoder().read(image);
      var img = engine.decoder().decode(bytes, image.toString());
      List<Face> faces = engine.analyze(img);
      List<Identification> ids = faces.stream().map(f -> g.identify(f.embedding(), top, policy)).toList();
      LocalAudit.append(env, "identify", g.info().name(), Map.of("images", List.of(org.likeness.gallery.enroll.Enroller.sha256(bytes))),
          Map.of("faces", ids.stream().map(org.likeness.server.http.Shapes::audited).toList()));
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("image", image.toString());
      List<Map<String, Object>> shaped = new ArrayList<>();
      for (int i = 0; i < faces.size(); i++) {
        shaped.add(org.likeness.server.http.Shapes.identifiedFace(faces.get(i), ids.get(i)));
      }
      root.put("faces", shaped);
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(new Json().write(root));
      } else {
        out.printf(Locale.ROOT, "%s: %d face(s), threshold %.3f%n", image, faces.size(), policy.threshold());
        for (int i = 0; i < faces.size(); i++) {
          Face f = faces.get(i);
          Identification id = ids.get(i);
          out.printf(Locale.ROOT, "  box %.0f,%.0f %.0fx%.0f -> %s%n", f.box().x(), f.box().y(), f.box().width(), f.box().height(),
              id.unknown() ? "unknown" : String.format(Locale.ROOT, "%s (score %.3f, FMR %.1e)", id.decision().subject(),
                  id.decision().score(), id.decision().fmr()));
        }
      }
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }
}
