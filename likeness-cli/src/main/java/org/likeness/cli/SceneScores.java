package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.gallery.link.Carrying;
import org.likeness.gallery.link.TrackLinker;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;

/**
 * How {@code eval scenes} scores scanned tracks against the script: each rule's names right and
 * wrong, the watchlist appearances found, and impostor shares, by face width (the small widths
 * drawn, then the close appearances).
 */
final class SceneScores {
  /** One scanned track scored: its scene, the truth (person, watchlisted, face width) and the decision on its own. */
  record Scored(int scene, int track, String person, boolean watchlisted, double width, Identification own, float[] template,
      double[] times, org.likeness.engine.verify.FaceSize faceSize, int appearance) {}

  /** A scripted appearance of a watchlist person: its face width, and whether any track was found on it. */
  record Scripted(double width, boolean found) {}

  private final List<Double> smallWidths;

  /** Scores by the small face widths the scenes drew from. */
  SceneScores(List<Double> smallWidths) {
    this.smallWidths = List.copyOf(smallWidths);
  }

  /**
   * Per face width: tracks, impostor pairs against the clean templates dumped in {@code impostors} (photos under {@code root}), and
   * the share at the clean thresholds; and for the tracks {@code policy} decides as small faces,
   * their mapped templates' share at the thresholds of the calibration it decides them on (the
   * tracks' where the rule has one) and of the photos' small-face calibration (whether a rule
   * measured on photos, or on renders of photos, holds for tracks).
   */
  List<Map<String, Object>> trackImpostors(List<Scored> scored, org.likeness.engine.verify.FmrTable calibration, MatchPolicy policy,
      Path impostors, Path root) throws Exception {
    List<Path> photos = Files.readAllLines(impostors.resolve("photos.txt")).stream().map(root::resolve).toList();
    Map<Path, org.likeness.eval.degrade.DegradedPairs.Embedded> clean = org.likeness.eval.degrade.TemplateSources.written(impostors, root)
        .embed(photos, null, Map.of());
    double t3 = calibration.thresholdFor(1e-3), t4 = calibration.thresholdFor(1e-4);
    Map<String, long[]> byWidth = new LinkedHashMap<>();
    buckets().forEach(b -> byWidth.put(b, new long[10]));
    for (Scored s : scored) {
      long[] c = byWidth.get(bucket(s.width()));
      c[0]++;
      MatchPolicy.Probe small = policy.forProbe(s.template(), s.faceSize());
      boolean mapped = small.smallFace() != null;
      double s3 = mapped ? small.policy().calibration().thresholdFor(1e-3) : 0, s4 = mapped ? small.policy().calibration().thresholdFor(1e-4) : 0;
      // the photos' small-face calibration beside it: what a track was decided on before tracks had their own
      var photoTable = mapped ? policy.smallFaces().calibration() : null;
      double p3 = mapped ? photoTable.thresholdFor(1e-3) : 0, p4 = mapped ? photoTable.thresholdFor(1e-4) : 0;
      c[4] += mapped ? 1 : 0;
      for (Path p : photos) {
        if (p.getParent().getFileName().toString().equals(s.person())) {
          continue;
        }
        float[] t = clean.get(p).template();
        double dot = dot(t, s.template());
        c[1]++;
        c[2] += dot >= t3 ? 1 : 0;
        c[3] += dot >= t4 ? 1 : 0;
        if (mapped) {
          double m = dot(t, small.template());
          c[5]++;
          c[6] += m >= s3 ? 1 : 0;
          c[7] += m >= s4 ? 1 : 0;
          c[8] += m >= p3 ? 1 : 0;
          c[9] += m >= p4 ? 1 : 0;
        }
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    byWidth.forEach((w, c) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("width", w);
      m.put("tracks", c[0]);
      m.put("impostorPairs", c[1]);
      m.put("fmrAtClean1e3", c[1] == 0 ? null : (double) c[2] / c[1]);
      m.put("fmrAtClean1e4", c[1] == 0 ? null : (double) c[3] / c[1]);
      m.put("smallFaceTracks", c[4]);
      m.put("fmrAtSmallFace1e3", c[5] == 0 ? null : (double) c[6] / c[5]);
      m.put("fmrAtSmallFace1e4", c[5] == 0 ? null : (double) c[7] / c[5]);
      m.put("fmrAtPhotoSmallFace1e3", c[5] == 0 ? null : (double) c[8] / c[5]);
      m.put("fmrAtPhotoSmallFace1e4", c[5] == 0 ? null : (double) c[9] / c[5]);
      out.add(m);
    });
    return out;
  }

  /** The dot product, accumulated in double. */
  private static double dot(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d += (double) a[i] * b[i];
    }
    return d;
  }

  /** Each scene's tracks linked by {@code linker}, names carried. */
  static List<Identification> carry(List<Scored> scored, TrackLinker linker, Carrying carrying) {
    List<Identification> out = new ArrayList<>();
    int from = 0;
    while (from < scored.size()) {
      int to = from;
      while (to < scored.size() && scored.get(to).scene() == scored.get(from).scene()) {
        to++;
      }
      List<Scored> scene = scored.subList(from, to);
      List<Integer> numbers = scene.stream().map(Scored::track).toList();
      int[] groups = linker.link(scene.stream().map(x -> new TrackLinker.Item(x.template(), x.times())).toList());
      out.addAll(carrying.carry(Carrying.labels(groups, numbers), numbers, scene.stream().map(Scored::template).toList(),
          scene.stream().map(Scored::own).toList()));
      from = to;
    }
    return out;
  }

  /** Named right and wrong, strangers named, and watchlist tracks named by face width, under one rule. */
  Map<String, Object> row(String rule, List<Scored> scored, List<Identification> ids, Double linkThreshold) {
    int mated = 0, right = 0, wrong = 0, carriedRight = 0, carriedWrong = 0, strangers = 0, strangersNamed = 0;
    Map<String, int[]> bySize = new LinkedHashMap<>();
    buckets().forEach(b -> bySize.put(b, new int[3]));
    java.util.Set<Integer> namedAppearances = new java.util.HashSet<>();
    for (int i = 0; i < scored.size(); i++) {
      Scored s = scored.get(i);
      Identification id = ids.get(i);
      String named = id.decision() == null ? null : id.decision().subject();
      boolean carried = id.carried() != null;
      if (!s.watchlisted()) {
        strangers++;
        strangersNamed += named == null ? 0 : 1;
        carriedWrong += named != null && carried ? 1 : 0;
        continue;
      }
      mated++;
      int[] bucket = bySize.get(bucket(s.width()));
      bucket[0]++;
      if (s.person().equals(named)) {
        right++;
        bucket[1]++;
        bucket[2] += namedAppearances.add(s.appearance()) ? 1 : 0;
        carriedRight += carried ? 1 : 0;
      } else if (named != null) {
        wrong++;
        carriedWrong += carried ? 1 : 0;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", rule);
    m.put("linkThreshold", linkThreshold);
    m.put("watchlistTracks", mated);
    m.put("namedRight", right);
    m.put("namedWrong", wrong);
    m.put("strangerTracks", strangers);
    m.put("strangersNamed", strangersNamed);
    m.put("carriedRight", carriedRight);
    m.put("carriedWrong", carriedWrong);
    m.put("recall", mated == 0 ? null : Math.round(10000.0 * right / mated) / 10000.0);
    Map<String, Object> sizes = new LinkedHashMap<>();
    bySize.forEach((k, v) -> sizes.put(k, v[0] + " tracks, " + v[1] + " named right (" + v[2] + " appearances)"));
    m.put("byWidth", sizes);
    return m;
  }

  /** Watchlist appearances by width bucket: how many were scripted, how many any track was found on. */
  Map<String, String> found(List<Scripted> watched) {
    Map<String, int[]> by = new LinkedHashMap<>();
    buckets().forEach(b -> by.put(b, new int[2]));
    for (Scripted a : watched) {
      if (a != null) {
        int[] c = by.get(bucket(a.width()));
        c[0]++;
        c[1] += a.found() ? 1 : 0;
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    by.forEach((k, c) -> out.put(k, c[0] + " scripted, " + c[1] + " found"));
    return out;
  }

  /** The width buckets figures are given by: each small width drawn, then the close appearances. */
  private List<String> buckets() {
    return java.util.stream.Stream.concat(
        smallWidths.stream().sorted().distinct().map(w -> String.format(java.util.Locale.ROOT, "%.0f px", w)),
        java.util.stream.Stream.of("close (64-106 px)")).toList();
  }

  /** The bucket of a track whose scripted face is {@code width} pixels wide. */
  private String bucket(double width) {
    return width >= 60 ? "close (64-106 px)" : String.format(java.util.Locale.ROOT, "%.0f px", nearest(width));
  }

  private double nearest(double width) {
    double best = smallWidths.getFirst();
    for (double w : smallWidths) {
      if (Math.abs(w * 1.05 - width) < Math.abs(best * 1.05 - width)) {
        best = w;
      }
    }
    return best;
  }
}
