package org.likeness.video.decode;

/** A video that cannot be read: no video stream, an unknown codec, damage, or past the configured limits. */
public final class VideoDecodeException extends Exception {
  public VideoDecodeException(String message) {
    super(message);
  }

  public VideoDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
