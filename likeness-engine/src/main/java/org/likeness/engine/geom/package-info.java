/** Geometry values: boxes and points in original-image pixels. */
package org.likeness.engine.geom;
