/**
 * Conversion of recognisers published in other formats into ONNX, done once when a pack is
 * installed: a reader for the source format and a small ONNX writer. Expert API.
 */
package org.likeness.engine.model.convert;
