/** Rendering scans for people: the video with each track's box and name burnt in. */
package org.likeness.video.render;
