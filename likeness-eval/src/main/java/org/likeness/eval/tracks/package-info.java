/** How to identify a track of many faces: aggregation rules compared on pseudo-tracks of a labelled photo set. */
package org.likeness.eval.tracks;
