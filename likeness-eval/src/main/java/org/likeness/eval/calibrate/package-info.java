/** Calibration of a recogniser on a labelled photo set: embeddings of every photo, every impostor pair scored, the measured FMR table. */
package org.likeness.eval.calibrate;
