package org.likeness.gallery.store;

/**
 * A gallery operation failed. The subclasses say why (not found, conflict, pack mismatch, bad
 * input), and front ends map them to an HTTP status or an exit code by type; a plain
 * {@code StoreException} is a failure of the database or its files.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
