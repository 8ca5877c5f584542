package org.likeness.engine.image;

/** An image could not be read; the message names the source and the reason. */
public final class ImageDecodeException extends Exception {
  private final String source;
  private final String reason;

  public ImageDecodeException(String source, String reason) {
    this(source, reason, null);
  }

  public ImageDecodeException(String source, String reason, Throwable cause) {
    super(source + ": " + reason, cause);
    this.source = source;
    this.reason = reason;
  }

  /** The file name or label of the input that failed. */
  public String source() {
    return source;
  }

  /** Why it failed, without the source name. */
  public String reason() {
    return reason;
  }
}
