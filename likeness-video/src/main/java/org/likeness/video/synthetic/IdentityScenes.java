package org.likeness.video.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.likeness.engine.geom.Box;
import org.likeness.video.track.Sighting;
import org.likeness.video.track.Track;

/**
 * Scripted scenes for identification in footage: a few people, each seen twice, apart in time
 * (longer than a tracker bridges): once close, once small, each time from a different photo, moving
 * across the frame in a lane of its own. Some are on the watchlist, some are strangers; the script
 * is the truth a scan's tracks are scored against.
 */
public final class IdentityScenes {
  /** Frame size and rate of every scene. */
  public static final int WIDTH = 640, HEIGHT = 360;
  /** Frames per second of every scene. */
  public static final double FPS = 25;
  /** Length of every scene in seconds. */
  public static final double SECONDS = 10;

  private IdentityScenes() {}

  /**
   * A person in a scene: the heads (indices into the renderer's list) of its close and its small
   * appearance, and the small appearance's face width in pixels.
   */
  public record Cast(String person, int closeHead, int smallHead, double smallWidth) {}

  /** One appearance of a person as scripted: who, which span, how wide the face is on average. */
  public record Appearance(String person, double start, double end, double faceWidth) {}

  /** A scene of {@code cast} (one lane each), the order of close and small and the motion drawn from {@code rnd}. */
  public static Scene scene(String name, List<Cast> cast, Random rnd) {
    List<Scene.Actor> actors = new ArrayList<>();
    double lane = (double) WIDTH / cast.size();
    for (int k = 0; k < cast.size(); k++) {
      Cast c = cast.get(k);
      double first = 0.2 + rnd.nextDouble() * 0.8;
      double firstEnd = first + 3.0 + rnd.nextDouble();
      double second = firstEnd + 2.0 + rnd.nextDouble(); // out of frame longer than the tracker's 1.5 s gap
      double secondEnd = Math.min(SECONDS - 0.1, second + 3.0 + rnd.nextDouble());
      double closeWidth = Math.min(lane * 0.6, 64 + rnd.nextDouble() * 32);
      boolean closeFirst = rnd.nextBoolean();
      double[] closeSpan = closeFirst ? new double[] {first, firstEnd} : new double[] {second, secondEnd};
      double[] smallSpan = closeFirst ? new double[] {second, secondEnd} : new double[] {first, firstEnd};
      actors.add(walk(c.person(), c.closeHead(), closeSpan, closeWidth, lane, k, rnd));
      actors.add(walk(c.person(), c.smallHead(), smallSpan, c.smallWidth(), lane, k, rnd));
    }
    return new Scene(name, WIDTH, HEIGHT, FPS, SECONDS, actors, List.of());
  }

  /** The appearances a scene scripts (one per actor entry), for scoring. */
  public static List<Appearance> appearances(Scene scene) {
    return scene.actors().stream().map(a -> new Appearance(a.person(), a.visible().get(0)[0], a.visible().get(0)[1],
        (a.path().getFirst().faceWidth() + a.path().getLast().faceWidth()) / 2)).toList();
  }

  /**
   * Which appearance each track shows: the one whose scripted box its sightings overlap (IoU >= 0.3)
   * most often, or -1 for a track that matches none (a false track).
   */
  public static int[] truth(Scene scene, SceneRenderer renderer, List<Track> tracks) {
    int[] out = new int[tracks.size()];
    for (int i = 0; i < tracks.size(); i++) {
      int[] votes = new int[scene.actors().size()];
      for (Sighting s : tracks.get(i).sightings()) {
        int who = -1;
        double best = 0.3;
        for (int a = 0; a < scene.actors().size(); a++) {
          Scene.Actor actor = scene.actors().get(a);
          if (actor.visibleAt(s.time())) {
            Box truth = renderer.faceBox(actor, s.time());
            double iou = truth.iou(s.box());
            if (iou >= best) {
              best = iou;
              who = a;
            }
          }
        }
        if (who >= 0) {
          votes[who]++;
        }
      }
      int arg = -1;
      for (int a = 0; a < votes.length; a++) {
        if (votes[a] > 0 && (arg < 0 || votes[a] > votes[arg])) {
          arg = a;
        }
      }
      out[i] = arg;
    }
    return out;
  }

  private static Scene.Actor walk(String person, int head, double[] span, double width, double lane, int k, Random rnd) {
    double x0 = lane * k + lane * (0.3 + 0.15 * rnd.nextDouble());
    double x1 = lane * k + lane * (0.55 + 0.15 * rnd.nextDouble());
    double y0 = HEIGHT * (0.35 + 0.3 * rnd.nextDouble());
    double y1 = HEIGHT * (0.35 + 0.3 * rnd.nextDouble());
    if (rnd.nextBoolean()) {
      double t = x0;
      x0 = x1;
      x1 = t;
    }
    return new Scene.Actor(person, head, List.of(new Scene.Key(span[0], x0, y0, width), new Scene.Key(span[1], x1, y1, width * 1.1)),
        List.<double[]>of(span));
  }
}
