/** Footage: a video becomes sampled frames, faces become tracks, tracks are identified ({@code VideoScanner} wires them). */
package org.likeness.video;
