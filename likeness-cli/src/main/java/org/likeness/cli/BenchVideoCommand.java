package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.SessionTuner;
import org.likeness.video.VideoScanner;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.decode.VideoSource;
import org.likeness.video.track.Tracker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code likeness bench video --video FILE...}: seconds of video scanned per wall-clock second
 * (decode, detect, embed, track; models loaded beforehand), at each sampling rate, with the share
 * of the time FFmpeg decoding alone takes. One JSON line per video and rate.
 */
@Command(name = "video", mixinStandardHelpOptions = true, description = "Video scanning speed: real-time factor and decode share.")
final class BenchVideoCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Option(names = "--video", required = true, arity = "1..*", paramLabel = "FILE")
  List<Path> videos;

  @Option(names = "--fps", split = ",", description = "Sampling rates, 0 for every frame (default: ${DEFAULT-VALUE}).")
  List<Double> rates = new ArrayList<>(List.of(5.0, 0.0));

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  BenchVideoCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    try (FaceEngine engine = engineArgs.open(env)) {
      VideoScanner scanner = new VideoScanner(engine, VideoLimits.DEFAULT, Tracker.Options.forPack(engine.pack()));
      scanner.scan(videos.get(0), 2, (t, info) -> { }); // warm-up: JIT and the first ONNX runs
      for (Path v : videos) {
        for (double fps : rates) {
          long t0 = System.nanoTime();
          VideoScanner.Scan scan = scanner.scan(v, fps, (t, info) -> { });
          double seconds = (System.nanoTime() - t0) / 1e9;
          long t1 = System.nanoTime();
          new VideoSource(v, VideoLimits.DEFAULT).scan(fps, i -> { }, f -> { });
          double decode = (System.nanoTime() - t1) / 1e9;
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("cpu", SessionTuner.cpuModel());
          r.put("video", v.getFileName().toString());
          r.put("width", scan.info().width());
          r.put("height", scan.info().height());
          r.put("durationSeconds", Json.round(scan.info().durationSeconds()));
          r.put("sampledFps", fps > 0 ? fps : Json.round(scan.info().fps()));
          r.put("sampledFrames", scan.sampledFrames());
          r.put("tracks", scan.tracks().size());
          r.put("seconds", Json.round(seconds));
          r.put("realTimeFactor", Json.round(scan.info().durationSeconds() / seconds));
          r.put("decodeSeconds", Json.round(decode));
          r.put("decodeShare", Json.round(decode / seconds));
          spec.commandLine().getOut().println(new Json().write(r));
        }
      }
      return 0;
    }
  }
}
