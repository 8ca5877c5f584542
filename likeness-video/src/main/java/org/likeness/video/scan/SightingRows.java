package org.likeness.video.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.likeness.engine.Face;
import org.likeness.engine.image.ImageEncoder;
import org.likeness.engine.model.ModelPack;
import org.likeness.engine.verify.FmrTable;
import org.likeness.gallery.link.Carrying;
import org.likeness.gallery.link.TrackLinker;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.StoredJson;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.ScanShapes;
import org.likeness.video.track.Sighting;
import org.likeness.video.track.Track;

/**
 * What a scan stores for each face of a photo or track of a video, made the same way wherever
 * the scan ran (this process, or a worker of a cluster): box, quality, template, best crop, the
 * decision, and for tracks the group of linked tracks that may carry a name between them.
 */
public final class SightingRows {
  private SightingRows() {}

  /** A photo's faces as rows; {@code ids} null when no gallery was searched. */
  public static List<StoredSighting.New> photo(List<Face> faces, List<Identification> ids, MatchPolicy policy, int top) {
    List<StoredSighting.New> rows = new ArrayList<>();
    for (int i = 0; i < faces.size(); i++) {
      Face f = faces.get(i);
      rows.add(new StoredSighting.New(i + 1, null, null, 1, null, f.box(), StoredJson.quality(Shapes.quality(f.quality())),
          StoredJson.boxes(List.of()), f.embedding(),
          ImageEncoder.png(f.aligned()), ids == null ? null : StoredDecision.json(ids.get(i), policy, top)));
    }
    return rows;
  }

  /** Track numbers (1-based, in order) and, for each, the first number of the group of tracks linked with it as one person. */
  public static List<Integer> links(ModelPack pack, List<Track> tracks) {
    List<Integer> numbers = numbers(tracks.size());
    return Carrying.labels(TrackLinker.forPack(pack).link(tracks.stream()
        .map(t -> new TrackLinker.Item(t.template(), t.sightings().stream().mapToDouble(Sighting::time).toArray())).toList()), numbers);
  }

  /** Each track's identification with names carried between linked tracks ({@link Carrying}). */
  public static List<Identification> carried(FmrTable calibration, List<Integer> links, List<Track> tracks, List<Identification> ids) {
    return Carrying.forCalibration(calibration).carry(links, numbers(tracks.size()), tracks.stream().map(Track::template).toList(), ids);
  }

  /** A video's tracks as rows; {@code ids} null when no gallery was searched. */
  public static List<StoredSighting.New> video(List<Track> tracks, List<Integer> links, List<Identification> ids, MatchPolicy policy,
      int top) {
    List<StoredSighting.New> rows = new ArrayList<>();
    for (int i = 0; i < tracks.size(); i++) {
      Track t = tracks.get(i);
      Sighting best = t.best();
      rows.add(new StoredSighting.New(i + 1, t.start(), t.end(), t.sightings().size(), best.time(), best.box(),
          StoredJson.quality(Shapes.quality(best.quality())), StoredJson.boxes(ScanShapes.boxes(t)), t.template(), t.bestCropPng(),
          ids == null ? null : StoredDecision.json(ids.get(i), policy, top), links.get(i)));
    }
    return rows;
  }

  private static List<Integer> numbers(int n) {
    return IntStream.rangeClosed(1, n).boxed().toList();
  }
}
