package org.likeness.eval.pairs;

import java.util.Optional;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.RgbImage;

/** Which face of a photo a protocol scores when it names a photo, not a face. */
public enum FaceChoice {
  /** The largest face (then the most confident): a photo of one person. */
  LARGEST,
  /** The face nearest the image centre: face-centred photos such as LFW, where others may be in the frame. */
  CENTRAL;

  /** The chosen face, embedded; empty when there is none. */
  public Optional<Face> pick(FaceEngine engine, RgbImage img) {
    return this == CENTRAL ? engine.central(img) : engine.mostProminent(img);
  }
}
