package org.likeness.gallery.store;

/** The request contradicts what the store holds (a name in use, a face already there, a merge into itself). */
public final class ConflictException extends StoreException {
  public ConflictException(String message) {
    super(message);
  }
}
