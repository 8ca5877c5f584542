package org.likeness.gallery.store;

import java.time.Instant;

/**
 * A photo or video known by its content hash.
 *
 * @param kind {@code photo} or {@code video}
 * @param path what the scan calls it: the path it was scanned from, or an upload's given name (each scan its own)
 * @param durationSeconds null for a photo
 * @param fps the stream's frame rate, null for a photo
 * @param storedFile a copy the installation keeps (a server upload), deleted with the scan; null otherwise
 */
public record MediaInfo(long id, String sha256, String kind, String path, long bytes, Double durationSeconds, Double fps,
    int width, int height, String storedFile, Instant created) {

  /** Whether this is a video. */
  public boolean video() {
    return "video".equals(kind);
  }
}
