package org.likeness.gallery.store;

/** A request that is malformed in itself: a bad name, an archive that is not one, a bad parameter. */
public final class InvalidInputException extends StoreException {
  public InvalidInputException(String message) {
    super(message);
  }
}
