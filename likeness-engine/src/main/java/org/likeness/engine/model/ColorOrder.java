package org.likeness.engine.model;

/** Channel layout a model expects. */
public enum ColorOrder {
  RGB,
  BGR,
  GRAY;

  /** Number of input channels. */
  public int channels() {
    return this == GRAY ? 1 : 3;
  }
}
