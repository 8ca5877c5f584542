package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.Shapes;
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

  @Option(names = "--fmr", paramLabel = "RATE", description = "Decision threshold as a target false-match rate per comparison, e.g. 1e-3 (instead of --fpir).")
  Double fmr;
  @Option(names = "--fpir", paramLabel = "RATE", description = "Decision threshold as a target false-positive identification rate: "
      + "a stranger named at most this often per face or track, the gallery's size counted (default: 0.01 unless --fmr is given).")
  Double fpir;

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

  @Override
  public Integer call() throws Exception {
    try (FaceEngine engine = engineArgs.open(env); LocalGalleries local = LocalGalleries.open(env, engine)) {
      GalleryService galleries = local.service();
      MatchPolicy policy = galleries.policy(fmr, fpir, method, aggregation);
      // A one-shot process cannot leave the HNSW build to the background: load the saved graph, or
      // build and save it once for the commands that follow.
      galleries.prepare(gallery, policy, n -> spec.commandLine().getErr()
          .println("identify: opening the saved HNSW graph, or building it once (" + n + " templates)"));
      byte[] bytes = engine.decoder().read(image);
      GalleryService.Identified result = galleries.identify(LocalGalleries.actor(), gallery, bytes, image.toString(), top, policy);
      List<Face> faces = result.faces();
      List<Identification> ids = result.identifications();
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("image", image.toString());
      List<Shapes.Identified> shaped = new ArrayList<>();
      for (int i = 0; i < faces.size(); i++) {
        shaped.add(Shapes.identifiedFace(faces.get(i), ids.get(i)));
      }
      root.put("faces", shaped);
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(new Json().write(root));
      } else {
        double threshold = ids.isEmpty() ? policy.threshold() : ids.get(0).threshold();
        out.printf(Locale.ROOT, "%s: %d face(s), threshold %.3f%s%n", image, faces.size(), threshold,
            policy.fpir() == null ? "" : String.format(Locale.ROOT, " (FPIR %s over %d templates)", policy.fpir(),
                ids.isEmpty() ? 0 : ids.get(0).templates()));
        for (int i = 0; i < faces.size(); i++) {
          Face f = faces.get(i);
          Identification id = ids.get(i);
          String why = id.candidates().isEmpty() ? "unknown: nobody enrolled to compare with"
              : String.format(Locale.ROOT, "unknown: closest %s %.3f < threshold %.3f", id.candidates().get(0).subject(),
                  id.candidates().get(0).score(), id.threshold());
          out.printf(Locale.ROOT, "  box %.0f,%.0f %.0fx%.0f -> %s%n", f.box().x(), f.box().y(), f.box().width(), f.box().height(),
              id.unknown() ? why : String.format(Locale.ROOT, "%s (score %.3f, FMR %s, FPIR %s)", id.decision().subject(),
                  id.decision().score(), id.decision().fmr() == null ? "n/a" : id.decision().fmr(),
                  id.fpir() == null ? "n/a" : Shapes.fpir(id.fpir())));
        }
      }
      return 0;
    }
  }
}
