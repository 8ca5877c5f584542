package org.likeness.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness detect IMAGE [--json] [--annotate OUT.png]}. */
@Command(name = "detect", mixinStandardHelpOptions = true, description = "Find every face: box, score, 5 landmarks, quality.")
final class DetectCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Parameters(index = "0", paramLabel = "IMAGE")
  Path image;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  @Option(names = "--annotate", paramLabel = "OUT.png", description = "Write a copy of the image with boxes and landmarks.")
  Path annotate;

  @Option(names = "--landmarks68", description = "Also output the 68 landmark points per face.")
  boolean all68;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  DetectCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    try (FaceEngine engine = engineArgs.open(env)) {
      RgbImage img = engine.decode(image);
      List<Face> faces = engine.detect(img);
      if (annotate != null) {
        Annotator.write(img, faces, annotate);
      }
      var out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", image.toString());
        m.put("width", img.width());
        m.put("height", img.height());
        m.put("faces", faces.stream().map(f -> Json.face(f, all68)).toList());
        out.println(new Json().write(m));
      } else {
        out.printf(Locale.ROOT, "%s: %dx%d, %d face(s)%n", image, img.width(), img.height(), faces.size());
        for (Face f : faces) {
          out.printf(Locale.ROOT, "  box %.0f,%.0f %.0fx%.0f score %.3f quality %s%n", f.box().x(), f.box().y(),
              f.box().width(), f.box().height(), f.score(), f.quality().passed() ? "pass" : "fail " + f.quality().reasons());
        }
      }
      return 0;
    }
  }
}
