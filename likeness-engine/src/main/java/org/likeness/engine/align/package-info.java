/** Similarity transforms that warp a face onto the recogniser's 5-point template. */
package org.likeness.engine.align;
