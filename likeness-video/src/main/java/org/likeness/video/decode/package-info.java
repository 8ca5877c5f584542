/** Video decoding with FFmpeg (JavaCV's frame grabber): frames streamed at a sampling rate, with presentation times. */
package org.likeness.video.decode;
