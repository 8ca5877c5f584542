package org.likeness.gallery.store;

import java.time.Instant;

/**
 * One pack's faces in one media file, as stored.
 *
 * @param gallery the gallery its sightings were last identified against, or null
 * @param sampledFps frames per second that went through detection (null for a photo)
 * @param error why a damaged video ended early (its sightings are those before the damage), or null
 * @param identified when the sightings were last identified, or null
 */
public record StoredScan(long id, MediaInfo media, String packId, String gallery, Double sampledFps, int sampledFrames,
    String error, Instant created, Instant identified, int sightings) {}
