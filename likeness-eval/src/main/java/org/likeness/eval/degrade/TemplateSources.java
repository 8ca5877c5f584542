package org.likeness.eval.degrade;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.RgbImage;
import org.likeness.eval.pairs.FaceChoice;
import org.likeness.eval.pairs.PairScorer;

/**
 * Where a degraded-face study's templates come from: the engine (each photo read, degraded and
 * embedded; a track condition's frames averaged), or the files an earlier run wrote
 * ({@code eval degrade --dump}: {@code photos.txt}, then per condition {@code NAME.f32} and
 * {@code NAME.fallback}), which this class also writes.
 */
public final class TemplateSources {
  private TemplateSources() {}

  /** Templates from {@code engine}: each photo read, degraded, and embedded through its central face or the centred fallback. */
  public static DegradedPairs.Templates engine(FaceEngine engine, int workers) {
    return (photos, d, width) -> {
      ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers));
      try {
        List<Future<DegradedPairs.Embedded>> fs = new ArrayList<>();
        for (Path p : photos) {
          fs.add(pool.submit(() -> {
            byte[] bytes = Files.readAllBytes(p);
            if (d == null) {
              return embedOne(engine, bytes, p);
            }
            List<byte[]> frames = d.frames(Degradation.read(bytes), width.get(p), p.getFileName().toString().hashCode());
            if (frames.size() == 1) {
              return embedOne(engine, frames.get(0), p);
            }
            // a track's template: the mean of its frames' made unit part by part (Track.template, equal weights),
            // fallen back only if every frame did
            double[] sum = null;
            boolean allFellBack = true;
            double w = Double.NaN;
            for (byte[] frame : frames) {
              DegradedPairs.Embedded e = embedOne(engine, frame, p);
              sum = sum == null ? new double[e.template().length] : sum;
              for (int i = 0; i < sum.length; i++) {
                sum[i] += e.template()[i];
              }
              allFellBack &= e.fellBack();
              w = Double.isNaN(w) ? e.width() : w;
            }
            return new DegradedPairs.Embedded(engine.pack().recognizer().layout().template(sum), allFellBack, w);
          }));
        }
        Map<Path, DegradedPairs.Embedded> out = new HashMap<>();
        for (int i = 0; i < photos.size(); i++) {
          out.put(photos.get(i), fs.get(i).get());
        }
        return out;
      } finally {
        pool.shutdownNow();
      }
    };
  }

  private static DegradedPairs.Embedded embedOne(FaceEngine engine, byte[] bytes, Path p) throws Exception {
    RgbImage img = engine.decoder().decode(bytes, p.toString());
    Optional<Face> face = FaceChoice.CENTRAL.pick(engine, img);
    double w = face.map(f -> f.box().width()).orElse(PairScorer.CENTRED_FRACTION * Math.min(img.width(), img.height()));
    return face.isPresent() ? new DegradedPairs.Embedded(face.get().embedding(), false, w)
        : new DegradedPairs.Embedded(engine.centredFallback(img, PairScorer.CENTRED_FRACTION).embedding(), true, w);
  }

  /**
   * Writes the templates of every photo under each condition to {@code dir}: {@code photos.txt}
   * (paths relative to {@code root}), then per condition {@code NAME.f32} (one little-endian float32
   * row per photo) and {@code NAME.fallback} (one byte per photo, 1 where the centred fallback stood in).
   */
  public static void write(DegradedPairs study, Path dir, Path root, List<Degradation> conditions) throws Exception {
    Files.createDirectories(dir);
    List<Path> all = study.photos();
    Files.write(dir.resolve("photos.txt"), all.stream().map(p -> root.relativize(p).toString()).toList());
    for (Degradation d : conditions) {
      List<DegradedPairs.Embedded> t = study.templates(d);
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(t.size() * t.get(0).template().length * Float.BYTES)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN);
      byte[] fellBack = new byte[t.size()];
      for (int i = 0; i < t.size(); i++) {
        for (float v : t.get(i).template()) {
          buf.putFloat(v);
        }
        fellBack[i] = (byte) (t.get(i).fellBack() ? 1 : 0);
      }
      Files.write(dir.resolve(d.name() + ".f32"), buf.array());
      Files.write(dir.resolve(d.name() + ".fallback"), fellBack);
    }
  }

  /** Templates an earlier {@link #write} left in {@code dir}, for photos under {@code root}; a condition it did not write is an error. */
  public static DegradedPairs.Templates written(Path dir, Path root) throws java.io.IOException {
    List<Path> order = Files.readAllLines(dir.resolve("photos.txt")).stream().map(root::resolve).toList();
    Map<Path, Integer> row = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      row.put(order.get(i), i);
    }
    return (photos, d, width) -> {
      String name = d == null ? "clean" : d.name();
      Path f32 = dir.resolve(name + ".f32"), fallback = dir.resolve(name + ".fallback");
      if (!Files.exists(f32)) {
        throw new IllegalArgumentException(dir + " holds no templates for " + name);
      }
      java.nio.FloatBuffer all = java.nio.ByteBuffer.wrap(Files.readAllBytes(f32)).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      byte[] fell = Files.exists(fallback) ? Files.readAllBytes(fallback) : new byte[order.size()];
      int dim = all.capacity() / order.size();
      Map<Path, DegradedPairs.Embedded> out = new HashMap<>();
      for (Path p : photos) {
        Integer i = row.get(p);
        if (i == null) {
          throw new IllegalArgumentException(dir + " holds no template of " + p);
        }
        float[] t = new float[dim];
        all.get(i * dim, t);
        out.put(p, new DegradedPairs.Embedded(t, fell[i] != 0, Double.NaN));
      }
      return out;
    };
  }

}
