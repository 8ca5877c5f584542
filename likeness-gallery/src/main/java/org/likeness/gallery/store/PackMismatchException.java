package org.likeness.gallery.store;

/** A gallery's templates come from another model pack than the engine asked to read or write them. */
public final class PackMismatchException extends StoreException {
  public PackMismatchException(String message) {
    super(message);
  }
}
