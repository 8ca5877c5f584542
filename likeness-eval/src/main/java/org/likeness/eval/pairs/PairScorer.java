package org.likeness.eval.pairs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.verify.Verification;

/**
 * Scores pairs with an engine. Each distinct image is embedded once (pair lists reuse images
 * heavily), images of the next pairs are embedded ahead on {@code workers} threads while results
 * stream out in order, and a failing image does not stop the run: its pairs carry the error. With
 * a fallback, a face-centred photo in which the detector finds nothing is still scored, from
 * landmarks found in its central square, and its pairs are flagged.
 */
public final class PairScorer implements AutoCloseable {
  /**
   * The outcome of one pair: a verification, or the reason it could not be scored.
   *
   * @param fallback whether either image was embedded through the centred fallback
   */
  public record Scored(Pair pair, Verification verification, String error, boolean fallback) {}

  /** One image's embedding, and whether it came from the centred fallback. */
  private record Embedded(float[] embedding, boolean fallback) {}

  /** Share of the shorter side the fallback takes as the face box (LFW's faces: see docs/BENCHMARKS.md). */
  public static final double CENTRED_FRACTION = 0.45;

  private final FaceEngine engine;
  private final FaceChoice choice;
  private final boolean fallback;
  private final int lookahead;
  private final ExecutorService pool;
  private final Map<Path, CompletableFuture<Object>> cache = new ConcurrentHashMap<>();

  /** Scores the largest face of each image, without fallback. */
  public PairScorer(FaceEngine engine, int workers) {
    this(engine, workers, FaceChoice.LARGEST, false);
  }

  public PairScorer(FaceEngine engine, int workers, FaceChoice choice, boolean fallback) {
    this.engine = engine;
    this.choice = choice;
    this.fallback = fallback;
    this.lookahead = 4 * workers;
    this.pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "likeness-pairs");
      t.setDaemon(true);
      return t;
    });
  }

  /** Scores every pair in order, handing each result to {@code sink} as soon as it is ready. */
  public void forEach(List<Pair> pairs, Consumer<Scored> sink) {
    for (int i = 0; i < pairs.size(); i++) {
      for (int j = i; j < Math.min(pairs.size(), i + lookahead); j++) {
        embedding(pairs.get(j).a());
        embedding(pairs.get(j).b());
      }
      sink.accept(score(pairs.get(i)));
    }
  }

  /** Scores every pair, in order. */
  public List<Scored> scoreAll(List<Pair> pairs, Consumer<Integer> progress) {
    List<Scored> out = new ArrayList<>(pairs.size());
    forEach(pairs, s -> {
      out.add(s);
      progress.accept(out.size());
    });
    return out;
  }

  /** Scores one pair. */
  public Scored score(Pair p) {
    Object a = embedding(p.a()).join(), b = embedding(p.b()).join();
    if (a instanceof String err) {
      return new Scored(p, null, err, false);
    }
    if (b instanceof String err) {
      return new Scored(p, null, err, false);
    }
    Embedded ea = (Embedded) a, eb = (Embedded) b;
    return new Scored(p, engine.verifier().verify(ea.embedding(), eb.embedding()), null, ea.fallback() || eb.fallback());
  }

  /** The embedding of the most prominent face, or an error message, computed once per path. */
  private CompletableFuture<Object> embedding(Path image) {
    return cache.computeIfAbsent(image, path -> CompletableFuture.supplyAsync(() -> {
      try {
        var img = engine.decode(path);
        var face = choice.pick(engine, img);
        if (face.isPresent()) {
          return new Embedded(face.get().embedding(), false);
        }
        return fallback ? new Embedded(engine.centredFallback(img, CENTRED_FRACTION).embedding(), true) : path + ": no face found";
      } catch (ImageDecodeException e) {
        return e.getMessage();
      } catch (RuntimeException e) {
        return path + ": " + e.getMessage();
      }
    }, pool));
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
