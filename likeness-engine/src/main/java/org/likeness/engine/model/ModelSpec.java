package org.likeness.engine.model;

import java.nio.file.Path;

/**
 * One model of a pack.
 *
 * @param file the ONNX file, resolved against the pack folder
 * @param architecture the decoder the outputs need ("ultraface", "box68", or "embedding")
 * @param input how to build its input
 */
public record ModelSpec(Path file, String architecture, InputSpec input) {}
