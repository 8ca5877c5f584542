package org.likeness.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness embed IMAGE [--json]}: the embedding of every face. */
@Command(name = "embed", mixinStandardHelpOptions = true, description = "Print the embedding of every face in an image.")
final class EmbedCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Parameters(index = "0", paramLabel = "IMAGE")
  Path image;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EmbedCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    try (FaceEngine engine = engineArgs.open(env)) {
      var img = engine.decode(image);
      List<Face> faces = engine.analyze(img);
      var out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", image.toString());
        m.put("pack", engine.pack().id());
        m.put("dimension", engine.embedder().dimension());
        m.put("faces", faces.stream().map(f -> {
          Map<String, Object> fm = new LinkedHashMap<>();
          fm.put("box", Json.box(f.box()));
          fm.put("score", Json.round4(f.score()));
          fm.put("embedding", f.embedding());
          return fm;
        }).toList());
        out.println(new Json().write(m));
      } else {
        out.printf(Locale.ROOT, "%s: %d face(s), %d-d embeddings (pack %s)%n", image, faces.size(),
            engine.embedder().dimension(), engine.pack().id());
        for (Face f : faces) {
          float[] e = f.embedding();
          out.printf(Locale.ROOT, "  box %.0f,%.0f %.0fx%.0f [%.4f, %.4f, %.4f, ...]%n", f.box().x(), f.box().y(),
              f.box().width(), f.box().height(), e[0], e[1], e[2]);
        }
      }
      return 0;
    }
  }
}
