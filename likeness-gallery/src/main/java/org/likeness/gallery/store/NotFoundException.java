package org.likeness.gallery.store;

/** A gallery, subject or face that the request names does not exist. */
public final class NotFoundException extends StoreException {
  public NotFoundException(String message) {
    super(message);
  }
}
