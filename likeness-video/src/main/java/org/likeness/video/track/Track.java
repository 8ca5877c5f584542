package org.likeness.video.track;

import java.util.ArrayList;
import java.util.List;
import org.likeness.engine.geom.Box;
import org.likeness.engine.image.ImageEncoder;
import org.likeness.engine.model.EmbeddingLayout;

/**
 * A face followed through a video: its sightings in time order, its template (the weighted mean of
 * its {@link #TEMPLATE_FRAMES} best frames: {@link #template()}), the weighted mean of every frame
 * (kept as a running sum: what the tracker follows), and the motion of its box for the next
 * prediction. Serializable once ended (a segment's tracks travel to where segments are stitched).
 * Not thread-safe.
 */
public final class Track implements java.io.Serializable {
  private static final long serialVersionUID = 2L;
  /** Sightings whose embeddings a track keeps, the highest-weighted ones, for templates of its best frames. */
  public static final int KEPT_FRAMES = 8;
  /**
   * Frames a track's template is made of: its highest-weighted ones (weight: detector score times
   * quality). Measured on scripted footage with a third of the frames motion-blurred: 14 more of
   * 165 watchlist tracks named on their own than the mean of every frame and 12 more with names
   * carried, and the same on clean footage (docs/BENCHMARKS.md, "Track templates from the best frames").
   */
  public static final int TEMPLATE_FRAMES = 8;
  private final int id;
  private final List<Sighting> sightings = new ArrayList<>();
  private final EmbeddingLayout layout;
  private final double[] sum;
  /** The first sighting's embedding: what a track ending before it is compared with when segments are stitched. */
  private final float[] firstEmbedding;
  private double vx, vy;
  private Sighting best;
  private byte[] bestPng;
  /** The {@link #KEPT_FRAMES} highest-weighted sightings with their embeddings (no crops), highest first. */
  private final List<Sighting> bestFrames = new ArrayList<>();

  Track(int id, Sighting first, EmbeddingLayout layout) {
    this.id = id;
    this.layout = layout;
    this.sum = new double[first.embedding().length];
    this.firstEmbedding = first.embedding().clone();
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
    // crops are 37 KB and embeddings 2 KB each: only the best's crop, the best frames' embeddings and the embeddings' sum are kept
    sightings.add(s.trace());
    keepIfAmongBest(s.withoutCrop());
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

  /**
   * The track's template: the weighted mean of its {@link #TEMPLATE_FRAMES} highest-weighted
   * sightings' embeddings, made unit length part by part as the pack's layout says. A track is
   * identified, linked and stored by it.
   */
  public float[] template() {
    return bestFramesTemplate(TEMPLATE_FRAMES);
  }

  /**
   * The weighted mean of every sighting's embedding, made unit length part by part: what the
   * tracker compares a new face with (every frame counts for following a face; the best frames for
   * naming it).
   */
  public float[] meanTemplate() {
    return layout.template(sum);
  }

  /**
   * The weighted mean of the embeddings of the track's {@code k} highest-weighted sightings (at most
   * {@link #KEPT_FRAMES}), made unit length part by part; {@link #template()} is this at
   * {@link #TEMPLATE_FRAMES}, {@link #meanTemplate()} weighs every frame.
   */
  public float[] bestFramesTemplate(int k) {
    if (k < 1 || k > KEPT_FRAMES) {
      throw new IllegalArgumentException("best frames between 1 and " + KEPT_FRAMES + ", not " + k);
    }
    double[] s = new double[sum.length];
    for (Sighting f : bestFrames.subList(0, Math.min(k, bestFrames.size()))) {
      double w = f.weight();
      for (int i = 0; i < s.length; i++) {
        s[i] += w * f.embedding()[i];
      }
    }
    return layout.template(s);
  }

  private void keepIfAmongBest(Sighting s) {
    int at = 0;
    while (at < bestFrames.size() && bestFrames.get(at).weight() >= s.weight()) {
      at++;
    }
    if (at < KEPT_FRAMES) {
      bestFrames.add(at, s);
      if (bestFrames.size() > KEPT_FRAMES) {
        bestFrames.removeLast();
      }
    }
  }

  /** The face size the track is decided by: its {@link #faceWidth} and the frames it was seen in. */
  public org.likeness.engine.verify.FaceSize faceSize() {
    return new org.likeness.engine.verify.FaceSize(faceWidth(), Math.max(1, sightings.size()));
  }

  /** The face width the track is decided by: the median of its boxes' widths ({@link org.likeness.engine.verify.SmallFaces#widthOf}). */
  public double faceWidth() {
    return org.likeness.engine.verify.SmallFaces.widthOf(sightings.stream().mapToDouble(s -> s.box().width()).toArray());
  }

  /** The sighting that shows the face best (quality score, then detector score); its crop only while the track is open. */
  public Sighting best() {
    return best;
  }

  /** The best sighting's aligned crop as PNG. */
  public byte[] bestCropPng() {
    if (bestPng == null && best.crop() != null) {
      return ImageEncoder.png(best.crop());
    }
    return bestPng;
  }

  /**
   * Called when the track ends: its best crop is kept as PNG (about a third of the raw pixels) and
   * the raw crop let go, so what a long video holds grows by a few KB per track, not per frame.
   */
  void seal() {
    if (bestPng == null && best.crop() != null) {
      bestPng = ImageEncoder.png(best.crop());
      best = best.withoutCrop();
    }
  }

  private static boolean better(Sighting a, Sighting b) {
    return a.quality().score() > b.quality().score() || (a.quality().score() == b.quality().score() && a.score() > b.score());
  }

  float[] firstEmbedding() {
    return firstEmbedding;
  }

  /**
   * Appends {@code later}, the same face followed on in the next segment of the video (both
   * ended): its sightings, its share of the template, its motion, and its best sighting if better.
   */
  void join(Track later) {
    sightings.addAll(later.sightings);
    later.bestFrames.forEach(this::keepIfAmongBest);
    for (int i = 0; i < sum.length; i++) {
      sum[i] += later.sum[i];
    }
    vx = later.vx;
    vy = later.vy;
    if (better(later.best, best)) {
      best = later.best;
      bestPng = later.bestPng;
    }
  }

  /** Sightings from the full-confidence pass (a track of weak sightings only is not reported). */
  public long strong() {
    return sightings.stream().filter(s -> !s.weak()).count();
  }
}
