package org.likeness.report;

/** A report that cannot be read, or that does not verify: the message says why, for a person. */
public final class ReportException extends Exception {
  public ReportException(String message) {
    super(message);
  }
}
