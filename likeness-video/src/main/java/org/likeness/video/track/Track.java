package org.likeness.video.track;

import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.embed.FaceEmbedder;
import org.likeness.engine.geom.Box;

/**
 * A face followed through a video: its sightings in time order, a quality-weighted mean template
 * (kept as a running sum), and the motion of its box for the next prediction. Not thread-safe.
 */
public final class Track {
  private final int id;
  private final List<Sighting> sightings = new ArrayList<>();
  private final double[] sum;
  private double vx, vy;
  private Sighting best;

  Track(int id, Sighting first) {
    this.id = id;
    this.sum = new double[first.embedding().length];
    add(first);
  }

  public int id() {
    return id;
  }

  public List<Sighting> sightings() {
    return List.copyOf(sightings);
  }

  public double start() {
    return sightings.getFirst().time();
  }

  public double end() {
    return sightings.getLast().time();
  }

  Sighting last() {
    return sightings.getLast();
  }

  void add(Sighting s) {
    if (!sightings.isEmpty()) {
      Sighting prev = last();
      double dt = s.time() - prev.time();
      if (dt > 0) { // smoothed box-centre velocity, pixels per second
        vx = 0.5 * vx + 0.5 * (s.box().center().x() - prev.box().center().x()) / dt;
        vy = 0.5 * vy + 0.5 * (s.box().center().y() - prev.box().center().y()) / dt;
      }
    }
    if (best == null || better(s, best)) {
      best = s;
    }
    sightings.add(s.withoutCrop()); // crops are 37 KB each: only the best is kept
    double w = s.weight();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += w * s.embedding()[i];
    }
  }

  /** Where the box should be at {@code time}, moving as it has been. */
  Box predict(double time) {
    Box b = last().box();
    double dt = time - last().time();
    return new Box(b.x() + vx * dt, b.y() + vy * dt, b.width(), b.height());
  }

  /** The quality-weighted mean of the sightings' embeddings, unit length. */
  public float[] template() {
    float[] t = new float[sum.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) sum[i];
    }
    return FaceEmbedder.normalize(t);
  }

  /** The sighting that shows the face best (quality score, then detector score), with its crop. */
  public Sighting best() {
    return best;
  }

  private static boolean better(Sighting a, Sighting b) {
    return a.quality().score() > b.quality().score() || (a.quality().score() == b.quality().score() && a.score() > b.score());
  }

  /** Sightings from the full-confidence pass (a track of weak sightings only is not reported). */
  public long strong() {
    return sightings.stream().filter(s -> !s.weak()).count();
  }
}
