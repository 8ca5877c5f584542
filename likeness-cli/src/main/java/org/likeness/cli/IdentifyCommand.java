package org.likeness.cli;

import java.nio.file.Path;
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
      var img = engine.decode(image);
      List<Face> faces = engine.analyze(img);
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("image", image.toString());
      root.put("faces", faces.stream().map(f -> org.likeness.server.http.Shapes.identifiedFace(f, g.identify(f.embedding(), top, policy))).toList());
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(new Json().write(root));
      } else {
        out.printf(Locale.ROOT, "%s: %d face(s), threshold %.3f%n", image, faces.size(), policy.threshold());
        for (Face f : faces) {
          Identification id = g.identify(f.embedding(), top, policy);
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
