package org.likeness.gallery.store;

import java.time.Instant;
import java.util.List;

/** A known person in a gallery. */
public record SubjectInfo(long id, long galleryId, String name, String externalId, List<String> tags, int faces, Instant created) {

  public SubjectInfo {
    tags = List.copyOf(tags);
  }
}
