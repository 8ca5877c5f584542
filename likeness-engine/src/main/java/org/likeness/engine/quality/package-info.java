/** Quality checks of a detected face: size, sharpness, pose, how much lies outside the image. */
package org.likeness.engine.quality;
