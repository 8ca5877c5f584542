package org.likeness.engine.model;

/** A model pack is missing, malformed, or fails its checksum. */
public final class ModelPackException extends RuntimeException {
  public ModelPackException(String message) {
    super(message);
  }

  public ModelPackException(String message, Throwable cause) {
    super(message, cause);
  }
}
