package org.likeness.gallery.cluster;

import org.likeness.engine.model.ModelPack;
import org.likeness.engine.model.RecognizerSpec;

/**
 * The similarities clustering decides by, for one pack. They were chosen on LFW with the pack
 * faceplugin-0.0.1 (link 0.47, suggestions from 0.30, graph edges from 0.20); another pack's similarities lie
 * on another scale (dlib's fusion puts impostor pairs at 0.67 on average), so for a calibrated pack
 * each is the similarity at which that pack reaches the same measured false-match rate.
 *
 * @param link average linkage joins clusters whose mean similarity is at least this
 * @param suggestFrom below the link, pairs of clusters at least this similar are suggested to a reviewer
 * @param floor pairs below this are left out of the similarity graph
 */
public record ClusterThresholds(double link, double suggestFrom, float floor) {
  /** The values chosen on LFW with faceplugin-0.0.1 (BCubed precision 0.987, F 0.976 at link 0.47). */
  public static final ClusterThresholds DEFAULT = new ClusterThresholds(0.47, 0.30, 0.20f);
  /** faceplugin-0.0.1's measured false-match rates at 0.47, 0.30 and 0.20. */
  static final double LINK_FMR = 1.7846e-5, SUGGEST_FMR = 3.3699e-3, FLOOR_FMR = 3.1681e-2;

  /** The thresholds for {@code pack}: mapped through its calibration, or {@link #DEFAULT} when it has none. */
  public static ClusterThresholds forPack(ModelPack pack) {
    RecognizerSpec r = pack.recognizer();
    return new ClusterThresholds(r.similarityAt(LINK_FMR, DEFAULT.link()), r.similarityAt(SUGGEST_FMR, DEFAULT.suggestFrom()),
        (float) r.similarityAt(FLOOR_FMR, DEFAULT.floor()));
  }
}
