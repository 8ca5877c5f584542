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
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.verify.Verification;

/**
 * Scores pairs with an engine. Each distinct image is embedded once (pair lists reuse images
 * heavily), images of the next pairs are embedded ahead on {@code workers} threads while results
 * stream out in order, and a failing image does not stop the run: its pairs carry the error.
 */
public final class PairScorer implements AutoCloseable {
  /** The outcome of one pair: a verification, or the reason it could not be scored. */
  public record Scored(Pair pair, Verification verification, String error) {}

  private final FaceEngine engine;
  private final int lookahead;
  private final ExecutorService pool;
  private final Map<Path, CompletableFuture<Object>> cache = new ConcurrentHashMap<>();

  public PairScorer(FaceEngine engine, int workers) {
    this.engine = engine;
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
      return new Scored(p, null, err);
    }
    if (b instanceof String err) {
      return new Scored(p, null, err);
    }
    return new Scored(p, engine.verifier().verify((float[]) a, (float[]) b), null);
  }

  /** The embedding of the most prominent face, or an error message, computed once per path. */
  private CompletableFuture<Object> embedding(Path image) {
    return cache.computeIfAbsent(image, path -> CompletableFuture.supplyAsync(() -> {
      try {
        var img = engine.decode(path);
        return engine.mostProminent(img).map(Face::embedding).<Object>map(e -> e).orElse(path + ": no face found");
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
