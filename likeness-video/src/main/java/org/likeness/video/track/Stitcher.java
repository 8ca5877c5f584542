package org.likeness.video.track;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Joins the tracks of a video scanned in time segments (each by its own tracker, perhaps on
 * another machine) into the tracks of the whole video: a track still open at a segment's end
 * continues into a track of the next segment that starts within the gap allowance, with no shot
 * cut between them, when its first face would have joined it in one pass (the tracker's own
 * overlap-and-likeness test against the earlier track's template and predicted box), best pairs
 * first, one to one. Inside a segment the tracks are exactly a whole pass's; across a border the
 * later face is compared with the whole earlier track, as one pass would.
 */
public final class Stitcher {
  /**
   * One segment's result.
   *
   * @param from where the segment starts (seconds on the frames' clock)
   * @param cuts times of the sampled frames that start a new shot, the segment's first frame included when it does
   * @param tracks the segment's tracks, ended ({@link Tracker#finish()})
   */
  public record Piece(double from, List<Double> cuts, List<Track> tracks) implements java.io.Serializable {
    public Piece {
      cuts = List.copyOf(cuts);
      tracks = List.copyOf(tracks);
    }
  }

  private final Tracker.Options options;

  /** A stitcher deciding as a tracker with {@code options} would. */
  public Stitcher(Tracker.Options options) {
    this.options = options;
  }

  /** The whole video's tracks from its segments' (in time order), ordered as one pass orders them. */
  public List<Track> stitch(List<Piece> pieces) {
    List<Track> all = new ArrayList<>();
    List<Track> previous = List.of();
    List<Double> previousCuts = List.of();
    for (Piece piece : pieces) {
      List<Track> current = new ArrayList<>(piece.tracks());
      List<Double> cuts = piece.cuts();
      record Pair(Track earlier, Track later, double score) {}
      List<Pair> pairs = new ArrayList<>();
      for (Track a : previous) {
        float[] template = a.meanTemplate();
        for (Track b : current) {
          boolean cutBetween = previousCuts.stream().anyMatch(c -> c > a.end()) || cuts.stream().anyMatch(c -> c <= b.start());
          if (cutBetween || b.start() - a.end() > options.maxGapSeconds()) {
            continue;
          }
          Sighting first = b.sightings().getFirst();
          double affinity = Tracker.affinity(options, a, template, b.start(), first.box(), b.firstEmbedding());
          if (affinity >= 0) {
            pairs.add(new Pair(a, b, affinity));
          }
        }
      }
      pairs.sort(Comparator.comparingDouble(Pair::score).reversed());
      List<Track> joinedFrom = new ArrayList<>(), joinedTo = new ArrayList<>();
      for (Pair p : pairs) {
        if (!joinedFrom.contains(p.earlier()) && !joinedTo.contains(p.later())) {
          p.earlier().join(p.later());
          joinedFrom.add(p.earlier());
          joinedTo.add(p.later());
        }
      }
      // A joined track lives on as the earlier one and may continue into the segment after.
      List<Track> next = new ArrayList<>();
      for (Track b : current) {
        int at = joinedTo.indexOf(b);
        if (at >= 0) {
          next.add(joinedFrom.get(at));
        } else {
          next.add(b);
          all.add(b);
        }
      }
      previous = next;
      previousCuts = cuts;
    }
    return all.stream().sorted(Comparator.comparingDouble(Track::start)).toList(); // stable: creation order breaks ties, as ids do
  }
}
