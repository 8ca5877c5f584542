package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.verify.FmrTable;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.StoredFace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code likeness appearances --face IMAGE | --subject S [--gallery G] --json}: everywhere a person was seen in the scanned media. */
@Command(name = "appearances", mixinStandardHelpOptions = true,
    description = "Every sighting of a person across all scanned photos and videos, best first.")
final class AppearancesCommand implements Callable<Integer> {
  private final Map<String, String> env;
  @Mixin EngineArgs engineArgs;
  @CommandLine.ArgGroup(exclusive = true, multiplicity = "1") Who who;
  @Option(names = "--gallery", paramLabel = "G", description = "The subject's gallery (default: the one gallery that has the subject).") String gallery;
  @Option(names = "--fmr", paramLabel = "RATE", description = "Similarity threshold as a measured false-match rate (default: the pack's).")
  Double fmr;
  @Option(names = "--limit", paramLabel = "N", description = "At most N sightings (default: ${DEFAULT-VALUE}).") int limit = 100;
  @Option(names = "--json", description = "Print JSON on stdout.") boolean json;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Whose appearances: a face in a photo, or an enrolled subject. */
  static final class Who {
    @Option(names = "--face", paramLabel = "IMAGE", description = "The most prominent face of this photo.") Path face;
    @Option(names = "--subject", paramLabel = "S", description = "An enrolled subject (its enrolled faces are the probes).") String subject;
  }

  AppearancesCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    try (FaceEngine engine = engineArgs.open(env); LocalGalleries local = LocalGalleries.open(env, engine);
        ClusterService clusters = new ClusterService(local.store(), local.service(), local.audit(), engine.pack().id(),
            engine.embedder().dimension(), ClusterThresholds.forPack(engine.pack()))) {
      FmrTable calibration = engine.verifier().calibration();
      double threshold = fmr == null ? engine.verifier().threshold() : calibration == null
          ? failNoCalibration(engine) : calibration.thresholdFor(fmr);
      List<float[]> probes = new ArrayList<>();
      if (who.face != null) {
        Face f;
        try {
          f = engine.mostProminent(engine.decode(who.face)).orElseThrow(() -> new InputException(who.face + ": no face found"));
        } catch (ImageDecodeException e) {
          throw new InputException(e.getMessage());
        }
        probes.add(f.embedding());
      } else {
        if (gallery == null) {
          gallery = clusters.galleryOf(who.subject);
        }
        var g = local.store().requireGallery(gallery);
        var s = local.store().requireSubject(g.id(), who.subject);
        for (StoredFace face : local.store().facesOf(s.id())) {
          probes.add(face.template());
        }
      }
      var result = clusters.appearances(LocalGalleries.actor(), probes, gallery, who.subject, threshold, calibration, limit);
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(new Json().write(result));
      } else {
        for (var a : result.appearances()) {
          var f = a.face();
          out.printf(java.util.Locale.ROOT, "%.3f  %s%s  (scan %s, %s %s)%n", a.score(), f.media().path(),
              f.time() == null ? "" : String.format(java.util.Locale.ROOT, " at %.2f s", f.time()), f.scan(),
              "video".equals(f.media().kind()) ? "track" : "face", f.track());
        }
        out.println(result.appearances().size() + " appearance(s)");
      }
      return 0;
    }
  }

  private static double failNoCalibration(FaceEngine engine) {
    throw new InvalidInputException("pack " + engine.pack().id() + " has no FMR calibration; use the default threshold");
  }
}
