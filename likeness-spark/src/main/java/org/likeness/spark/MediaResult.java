package org.likeness.spark;

import java.io.Serializable;
import java.util.List;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredSighting;

/**
 * What one media file came to on the cluster: the media and its scan (sampling, the error of a
 * damaged video that still gave tracks) and its sightings, made as a local scan makes them; or,
 * when nothing could be read, why ({@code failed}).
 *
 * @param media null when the file could not even be read (no hash)
 */
public record MediaResult(String uri, String kind, ScanStore.NewMedia media, Double sampledFps, int sampledFrames, String error,
    boolean failed, List<StoredSighting.New> sightings) implements Serializable {

  public MediaResult {
    sightings = List.copyOf(sightings);
  }

  /** A file that could not be scanned, and why. */
  static MediaResult failed(String uri, String kind, ScanStore.NewMedia media, String why) {
    return new MediaResult(uri, kind, media, null, 0, why, true, List.of());
  }
}
