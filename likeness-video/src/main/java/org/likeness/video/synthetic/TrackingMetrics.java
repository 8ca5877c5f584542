package org.likeness.video.synthetic;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.likeness.video.track.Sighting;
import org.likeness.video.track.Track;

/**
 * Tracks against the truth of a scripted scene, at every sampled time a track has a sighting:
 * a sighting matches the actor whose true box it overlaps most (IoU >= 0.3). Identity switches
 * count a track that matches one actor, then another; fragments count the extra tracks an actor's
 * continuous appearance was split into; missed samples count sampled times at which a visible
 * actor has no matching sighting; false sightings match nobody.
 */
public record TrackingMetrics(String scene, int tracks, int truthSamples, int missedSamples, int identitySwitches, int fragments,
    int falseSightings) {

  /** Measures {@code tracks} (sampled at {@code times}) against the scene. */
  public static TrackingMetrics of(Scene scene, SceneRenderer renderer, List<Track> tracks, List<Double> times) {
    int switches = 0, falseSightings = 0;
    Map<String, Set<String>> tracksPerAppearance = new HashMap<>();
    Map<String, Set<Double>> matchedTimes = new HashMap<>();
    for (Track t : tracks) {
      String current = null;
      for (Sighting s : t.sightings()) {
        String who = null;
        double best = 0.3;
        for (Scene.Actor a : scene.actors()) {
          if (a.visibleAt(s.time())) {
            double iou = renderer.faceBox(a, s.time()).iou(s.box());
            if (iou >= best) {
              best = iou;
              who = a.person();
            }
          }
        }
        if (who == null) {
          falseSightings++;
          continue;
        }
        if (current != null && !current.equals(who)) {
          switches++;
        }
        current = who;
        tracksPerAppearance.computeIfAbsent(who + "@" + span(scene, who, s.time()), k -> new HashSet<>()).add("t" + t.id());
        matchedTimes.computeIfAbsent(who, k -> new HashSet<>()).add(s.time());
      }
    }
    int truth = 0, missed = 0;
    for (double time : times) {
      for (Scene.Actor a : scene.actors()) {
        if (a.visibleAt(time)) {
          truth++;
          if (!matchedTimes.getOrDefault(a.person(), Set.of()).contains(time)) {
            missed++;
          }
        }
      }
    }
    int fragments = tracksPerAppearance.values().stream().mapToInt(s -> s.size() - 1).sum();
    return new TrackingMetrics(scene.name(), tracks.size(), truth, missed, switches, fragments, falseSightings);
  }

  /** Which visible span of the actor a time falls in (a face leaving and coming back is two appearances). */
  private static int span(Scene scene, String person, double t) {
    for (Scene.Actor a : scene.actors()) {
      if (a.person().equals(person)) {
        for (int i = 0; i < a.visible().size(); i++) {
          if (t >= a.visible().get(i)[0] && t < a.visible().get(i)[1]) {
            return i;
          }
        }
      }
    }
    return -1;
  }
}
