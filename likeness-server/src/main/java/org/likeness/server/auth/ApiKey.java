package org.likeness.server.auth;

import java.time.Instant;

/** A key's public record (never its secret): id, name, role, optional gallery restriction, dates. */
public record ApiKey(String id, String name, Role role, String gallery, Instant created, Instant revoked) {

  /** Whether this key may act on {@code galleryName} (null: an operation on no particular gallery). */
  public boolean coversGallery(String galleryName) {
    return gallery == null || galleryName == null || gallery.equals(galleryName);
  }
}
