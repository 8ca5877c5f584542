/** Face detection: tiled image pyramid, the detector model, non-maximum suppression. */
package org.likeness.engine.detect;
