/** Image decoding with limits (size, pixels, formats, EXIF orientation) and encoding of crops. */
package org.likeness.engine.image;
