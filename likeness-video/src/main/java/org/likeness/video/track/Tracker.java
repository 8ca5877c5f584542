package org.likeness.video.track;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.likeness.engine.model.EmbeddingLayout;
import org.likeness.engine.model.ModelPack;
import org.likeness.engine.model.RecognizerSpec;
import org.likeness.engine.verify.Verifier;

/**
 * Links each sampled frame's faces to the tracks open so far: a face joins the track whose
 * predicted box (motion) it overlaps and whose template it resembles, best pairs first; a face
 * that joins none starts a track, unless it came from the low-score pass; a track unseen for longer
 * than the gap allowance closes, and a shot cut closes them all. Not thread-safe.
 */
public final class Tracker {
  /**
   * Association settings.
   *
   * @param maxGapSeconds how long a track may go unseen (an occlusion, a turned head) and still continue
   * @param minIou overlap with the predicted box for a face to join on position
   * @param minSimilarity template similarity at which a face joins on appearance alone (after a jump)
   * @param minSimilarityWithOverlap least similarity a face overlapping the prediction must still have
   */
  public record Options(double maxGapSeconds, double minIou, double minSimilarity, double minSimilarityWithOverlap) {
    /** 1.5 s gap, IoU 0.3, similarity 0.5 alone or 0.15 with overlap (chosen with faceplugin-0.0.1). */
    public static final Options DEFAULT = new Options(1.5, 0.3, 0.5, 0.15);
    /** faceplugin-0.0.1's measured false-match rates at 0.5 and 0.15. */
    static final double ALONE_FMR = 5.0642e-6, WITH_OVERLAP_FMR = 7.9793e-2;

    /**
     * {@link #DEFAULT} for {@code pack}: the similarities are those at which a calibrated pack reaches
     * faceplugin-0.0.1's false-match rates at 0.5 and 0.15, since packs score on different scales.
     */
    public static Options forPack(ModelPack pack) {
      RecognizerSpec r = pack.recognizer();
      return new Options(DEFAULT.maxGapSeconds(), DEFAULT.minIou(), r.similarityAt(ALONE_FMR, DEFAULT.minSimilarity()),
          r.similarityAt(WITH_OVERLAP_FMR, DEFAULT.minSimilarityWithOverlap()));
    }
  }

  private final Options options;
  private final EmbeddingLayout layout;
  private final List<Track> open = new ArrayList<>();
  private final List<Track> closed = new ArrayList<>();
  private int nextId = 1;

  /** A tracker deciding by {@code options}, its templates made as {@code layout} (the pack's embedding) says. */
  public Tracker(Options options, EmbeddingLayout layout) {
    this.options = options;
    this.layout = layout;
  }

  /** Adds one sampled frame's sightings; {@code cut}: the frame starts a new shot. */
  public void frame(double time, List<Sighting> faces, boolean cut) {
    for (Track t : List.copyOf(open)) {
      if (cut || time - t.end() > options.maxGapSeconds()) {
        open.remove(t);
        t.seal();
        closed.add(t);
      }
    }
    record Pair(Track track, int face, double score) {}
    List<Pair> pairs = new ArrayList<>();
    for (Track t : open) {
      float[] template = t.meanTemplate();
      for (int i = 0; i < faces.size(); i++) {
        double affinity = affinity(options, t, template, time, faces.get(i).box(), faces.get(i).embedding());
        if (affinity >= 0) {
          pairs.add(new Pair(t, i, affinity));
        }
      }
    }
    pairs.sort(Comparator.comparingDouble(Pair::score).reversed());
    boolean[] used = new boolean[faces.size()];
    List<Track> extended = new ArrayList<>();
    for (Pair p : pairs) {
      if (!used[p.face()] && !extended.contains(p.track())) {
        p.track().add(faces.get(p.face()));
        used[p.face()] = true;
        extended.add(p.track());
      }
    }
    for (int i = 0; i < faces.size(); i++) {
      if (!used[i] && !faces.get(i).weak()) {
        open.add(new Track(nextId++, faces.get(i), layout));
      }
    }
  }

  /**
   * How well a face seen at {@code time} continues {@code track} (whose template is {@code template}):
   * overlap with the predicted box plus template similarity, or -1 when it may not join at all.
   */
  static double affinity(Options options, Track track, float[] template, double time, org.likeness.engine.geom.Box box, float[] embedding) {
    var predicted = track.predict(time);
    double iou = predicted.iou(box);
    double sim = Verifier.cosine(template, embedding);
    boolean near = predicted.center().distance(box.center()) < 3 * Math.max(predicted.width(), box.width());
    if ((iou >= options.minIou() && sim >= options.minSimilarityWithOverlap()) || (sim >= options.minSimilarity() && near)) {
      return iou + sim;
    }
    return -1;
  }

  /** Closes every track; returns them all in order of first appearance, without tracks of weak sightings only. */
  public List<Track> finish() {
    open.forEach(Track::seal);
    closed.addAll(open);
    open.clear();
    return closed.stream().filter(t -> t.strong() > 0).sorted(Comparator.comparingDouble(Track::start).thenComparingInt(Track::id))
        .toList();
  }
}
