package org.likeness.video.synthetic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.geom.Box;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.image.RgbImage;
import org.likeness.video.VideoScanner;
import org.likeness.video.decode.VideoDecodeException;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.track.Tracker;

/**
 * Renders the {@link Scene#standard() standard scenes} from face photos, scans each rendered
 * video as any footage is scanned, and measures the tracks against the script.
 */
public final class TrackingBenchmark {
  /**
   * The fixture photos (relative to the face_recognition fixtures) whose heads the standard scenes
   * use, in the order their scripts number them.
   */
  public static final List<String> HEAD_PHOTOS = List.of("examples/obama.jpg", "examples/biden.jpg",
      "examples/alex-lacamoire.png", "examples/lin-manuel-miranda.png", "examples/knn_examples/train/rose_leslie/img1.jpg",
      "examples/knn_examples/train/kit_harington/john1.jpeg");

  private TrackingBenchmark() {}

  /** Head crops (the central face with a margin of about one face around it) from photos of one person each, in order. */
  public static List<SceneRenderer.Head> heads(FaceEngine engine, List<Path> photos) throws ImageDecodeException {
    List<SceneRenderer.Head> heads = new ArrayList<>();
    for (Path p : photos) {
      RgbImage img = engine.decode(p);
      var faces = engine.detect(img);
      if (faces.isEmpty()) {
        throw new ImageDecodeException(p.toString(), "no face to make a head of");
      }
      // the face nearest the centre: the photo's subject (LFW photos show others at the edges)
      Box b = faces.stream().map(f -> f.box()).min(java.util.Comparator.comparingDouble(
          x -> x.center().distance(new org.likeness.engine.geom.Point(img.width() / 2.0, img.height() / 2.0)))).orElseThrow();
      int x = (int) Math.max(0, b.x() - b.width() * 0.6), y = (int) Math.max(0, b.y() - b.height() * 0.5);
      int w = (int) Math.min(img.width() - x, b.width() * 2.2), h = (int) Math.min(img.height() - y, b.height() * 2.0);
      heads.add(new SceneRenderer.Head(img.crop(x, y, w, h), new Box(b.x() - x, b.y() - y, b.width(), b.height())));
    }
    return heads;
  }

  /** Every standard scene rendered into {@code dir}, scanned at {@code fps}, and measured. */
  public static List<TrackingMetrics> run(FaceEngine engine, List<SceneRenderer.Head> heads, Path dir, double fps)
      throws VideoDecodeException, org.bytedeco.javacv.FrameRecorder.Exception {
    SceneRenderer renderer = new SceneRenderer(heads);
    VideoScanner scanner = new VideoScanner(engine, VideoLimits.DEFAULT, Tracker.Options.forPack(engine.pack()));
    List<TrackingMetrics> out = new ArrayList<>();
    for (Scene scene : Scene.standard()) {
      Path video = dir.resolve(scene.name() + ".mp4");
      renderer.render(scene, video);
      List<Double> times = new ArrayList<>();
      VideoScanner.Scan scan = scanner.scan(video, fps, (t, info) -> times.add(t));
      out.add(TrackingMetrics.of(scene, renderer, scan.tracks(), times));
    }
    return out;
  }
}
