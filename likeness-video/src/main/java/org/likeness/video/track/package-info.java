/** Linking per-frame faces into tracks: motion, box overlap and appearance, gaps and shot cuts. */
package org.likeness.video.track;
