/** Facial landmarks (68 points, and the 5 used for alignment). */
package org.likeness.engine.landmark;
