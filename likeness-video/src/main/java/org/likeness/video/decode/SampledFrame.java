package org.likeness.video.decode;

import org.likeness.engine.image.RgbImage;

/** One decoded frame, at its presentation time in seconds from the start of the stream. */
public record SampledFrame(int index, double time, RgbImage image) {}
