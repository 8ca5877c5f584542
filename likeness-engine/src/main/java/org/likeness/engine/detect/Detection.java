package org.likeness.engine.detect;

import org.likeness.engine.geom.Box;

/** A face box in original-image pixels with the detector's confidence. */
public record Detection(Box box, float score) {}
