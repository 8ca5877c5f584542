package org.likeness.cli;

/** A user-facing input problem (no face found, unreadable CSV); printed without a stack trace. */
public final class InputException extends Exception {
  public InputException(String message) {
    super(message);
  }
}
