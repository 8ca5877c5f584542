package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.image.RgbImage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code likeness eval detect PATH...}: how many faces the pack's detector reports on a set of
 * photos, per image and per 100 megapixels. On photos known to hold no face every box is a false
 * alarm; on photos with counted faces the counts can be compared.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = "Count detections over photos (files or folders, recursively): faces per image and per 100 megapixels.")
final class EvalDetectCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Parameters(arity = "1..*", paramLabel = "PATH")
  List<Path> paths;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EvalDetectCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      try (Stream<Path> s = Files.walk(p)) {
        s.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches("(?i).*\\.(jpe?g|png|webp|bmp|tiff?)$"))
            .sorted().forEach(files::add);
      }
    }
    var err = spec.commandLine().getErr();
    try (FaceEngine engine = engineArgs.open(env)) {
      ProgressBar bar = new ProgressBar(err, "detect", files.size(), System.console() != null);
      List<Map<String, Object>> per = new ArrayList<>();
      double mp = 0;
      int faces = 0, done = 0;
      for (Path f : files) {
        RgbImage img;
        try {
          img = engine.decode(f);
        } catch (ImageDecodeException e) {
          err.println("likeness: skipped " + e.getMessage());
          bar.update(++done);
          continue;
        }
        List<Face> found = engine.detect(img);
        double m = (double) img.width() * img.height() / 1e6;
        mp += m;
        faces += found.size();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("image", f.toString());
        row.put("megapixels", Json.round(m));
        row.put("faces", found.size());
        row.put("passedQuality", found.stream().filter(x -> x.quality().passed()).count());
        row.put("scores", found.stream().map(x -> Json.round4(x.score())).toList());
        per.add(row);
        bar.update(++done);
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("pack", engine.pack().id());
      r.put("images", per.size());
      r.put("megapixels", Json.round(mp));
      r.put("faces", faces);
      r.put("facesPer100Megapixels", Json.round(mp == 0 ? 0 : faces * 100 / mp));
      r.put("perImage", per);
      spec.commandLine().getOut().println(new Json().write(r));
      return 0;
    }
  }
}
