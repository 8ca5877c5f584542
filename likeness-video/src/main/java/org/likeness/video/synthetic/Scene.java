package org.likeness.video.synthetic;

import java.util.List;

/**
 * A scripted shot list: who is where at every moment. Each actor has a face photo (a head crop
 * with its face box) and a path of keyframes; between keyframes position and size move linearly;
 * outside its visible spans the actor is not in the frame.
 *
 * @param cuts times at which the background changes abruptly (a cut between shots)
 */
public record Scene(String name, int width, int height, double fps, double seconds, List<Actor> actors, List<Double> cuts) {

  /** One person in the scene: which head, and where its face is over time. */
  public record Actor(String person, int head, List<Key> path, List<double[]> visible) {
    /** Whether the actor is in the frame at {@code t} (inside one of the visible spans). */
    public boolean visibleAt(double t) {
      return visible.stream().anyMatch(v -> t >= v[0] && t < v[1]);
    }

    /** Face centre and width at {@code t}, interpolated between keyframes. */
    public double[] at(double t) {
      Key a = path.getFirst(), b = path.getLast();
      for (int i = 1; i < path.size(); i++) {
        if (t <= path.get(i).time()) {
          a = path.get(i - 1);
          b = path.get(i);
          break;
        }
      }
      double u = b.time() == a.time() ? 0 : Math.max(0, Math.min(1, (t - a.time()) / (b.time() - a.time())));
      return new double[] {a.cx() + u * (b.cx() - a.cx()), a.cy() + u * (b.cy() - a.cy()), a.faceWidth() + u * (b.faceWidth() - a.faceWidth())};
    }
  }

  /** At {@code time} the face is centred at (cx, cy) and {@code faceWidth} pixels wide. */
  public record Key(double time, double cx, double cy, double faceWidth) {}

  /** Five scenes covering what a tracker must survive: a pan, a zoom, a crossing, a cut, a face leaving and coming back. */
  public static List<Scene> standard() {
    int w = 640, h = 360;
    double fps = 25;
    return List.of(
        new Scene("pan", w, h, fps, 6, List.of(new Actor("obama", 0, List.of(new Key(0, 90, 170, 90), new Key(6, 550, 190, 90)),
            List.of(new double[] {0, 6}))), List.of()),
        new Scene("zoom", w, h, fps, 6, List.of(new Actor("biden", 1, List.of(new Key(0, 320, 180, 50), new Key(6, 320, 170, 150)),
            List.of(new double[] {0, 6}))), List.of()),
        new Scene("crossing", w, h, fps, 6, List.of(
            new Actor("obama", 0, List.of(new Key(0, 100, 180, 80), new Key(6, 540, 180, 80)), List.of(new double[] {0, 6})),
            new Actor("rose_leslie", 4, List.of(new Key(0, 540, 190, 80), new Key(6, 100, 170, 80)), List.of(new double[] {0, 6}))),
            List.of()),
        new Scene("cut", w, h, fps, 6, List.of(
            new Actor("kit_harington", 5, List.of(new Key(0, 250, 180, 100), new Key(3, 300, 180, 100)), List.of(new double[] {0, 3})),
            new Actor("alex_lacamoire", 2, List.of(new Key(3, 420, 170, 100), new Key(6, 380, 170, 100)), List.of(new double[] {3, 6}))),
            List.of(3.0)),
        new Scene("leave-and-return", w, h, fps, 7, List.of(new Actor("biden", 1,
            List.of(new Key(0, 200, 180, 90), new Key(2, 260, 180, 90), new Key(4.5, 400, 180, 90), new Key(7, 440, 180, 90)),
            List.of(new double[] {0, 2}, new double[] {4.5, 7}))), List.of()));
  }
}
