package org.likeness.gallery.store;

/** A gallery operation failed: unknown names, conflicts, or the database itself. */
public final class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
