/** The face pipeline ({@code FaceEngine}): decode, detect, landmarks, align, quality, embed, verify. */
package org.likeness.engine;
