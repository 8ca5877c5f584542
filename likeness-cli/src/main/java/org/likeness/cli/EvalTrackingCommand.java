package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.video.synthetic.SceneRenderer;
import org.likeness.video.synthetic.TrackingBenchmark;
import org.likeness.video.synthetic.TrackingMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code likeness eval tracking --dataset DIR}: tracking measured on scripted videos rendered from the fixture photos. */
@Command(name = "tracking", mixinStandardHelpOptions = true,
    description = "Render scripted scenes (pan, zoom, crossing, cut, leave and return) and measure the tracks against the script.")
final class EvalTrackingCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Option(names = "--dataset", paramLabel = "DIR", description = "The face_recognition fixtures (default: ${DEFAULT-VALUE}).")
  Path dataset = Path.of("fixtures/face_recognition");

  @Option(names = "--fps", description = "Frames sampled per second (default: ${DEFAULT-VALUE}).")
  double fps = 5;

  @Option(names = "--keep", paramLabel = "DIR", description = "Keep the rendered videos in DIR.")
  Path keep;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EvalTrackingCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    try (FaceEngine engine = engineArgs.open(env); ScratchHome scratch = keep != null ? null : new ScratchHome("likeness-tracking")) {
      Path dir = keep != null ? Files.createDirectories(keep) : scratch.path(); // rendered videos go with the scratch folder unless kept
      List<SceneRenderer.Head> heads = TrackingBenchmark.heads(engine, TrackingBenchmark.HEAD_PHOTOS.stream().map(dataset::resolve).toList());
      List<Map<String, Object>> rows = new ArrayList<>();
      for (TrackingMetrics m : TrackingBenchmark.run(engine, heads, dir, fps)) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scene", m.scene());
        r.put("tracks", m.tracks());
        r.put("truthSamples", m.truthSamples());
        r.put("missedSamples", m.missedSamples());
        r.put("identitySwitches", m.identitySwitches());
        r.put("fragments", m.fragments());
        r.put("falseSightings", m.falseSightings());
        rows.add(r);
      }
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("fps", fps);
      out.put("scenes", rows);
      spec.commandLine().getOut().println(new Json().write(out));
      return 0;
    }
  }
}
