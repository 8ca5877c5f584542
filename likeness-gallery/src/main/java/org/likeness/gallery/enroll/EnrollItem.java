package org.likeness.gallery.enroll;

import java.nio.file.Path;

/** One image to enrol for one subject: a file, or (image null) bytes given with the request, such as an upload. */
public record EnrollItem(String subject, Path image) {

  /** An item whose bytes come with the request rather than from a file. */
  public static EnrollItem upload(String subject) {
    return new EnrollItem(subject, null);
  }

  /** How the image is named in messages: its path, or "upload". */
  public String label() {
    return image == null ? "upload" : image.toString();
  }
}
