package org.likeness.eval.pairs;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.verify.Verification;

/**
 * Scores pairs with an engine, embedding each distinct image once (pair lists reuse images heavily)
 * and keeping going when one image fails: its pairs carry the error instead.
 */
public final class PairScorer {
  /** The outcome of one pair: a verification, or the reason it could not be scored. */
  public record Scored(Pair pair, Verification verification, String error) {}

  private final FaceEngine engine;
  private final Map<Path, Object> cache = new HashMap<>();

  public PairScorer(FaceEngine engine) {
    this.engine = engine;
  }

  /** Scores every pair in order; {@code progress} receives the count done after each pair. */
  public List<Scored> score(List<Pair> pairs, IntConsumer progress) {
    return java.util.stream.IntStream.range(0, pairs.size()).mapToObj(i -> {
      Scored s = score(pairs.get(i));
      progress.accept(i + 1);
      return s;
    }).toList();
  }

  /** Scores one pair. */
  public Scored score(Pair p) {
    Object a = embedding(p.a()), b = embedding(p.b());
    if (a instanceof String err) {
      return new Scored(p, null, err);
    }
    if (b instanceof String err) {
      return new Scored(p, null, err);
    }
    return new Scored(p, engine.verifier().verify((float[]) a, (float[]) b), null);
  }

  /** The embedding of the most prominent face, or an error message. */
  private Object embedding(Path image) {
    return cache.computeIfAbsent(image, path -> {
      try {
        var img = engine.decode(path);
        return engine.mostProminent(img).map(Face::embedding).<Object>map(e -> e)
            .orElse(path + ": no face found");
      } catch (ImageDecodeException e) {
        return e.getMessage();
      }
    });
  }
}
