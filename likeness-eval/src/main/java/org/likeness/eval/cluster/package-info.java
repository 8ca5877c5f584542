/** Grouping unknown faces: clustering methods over a similarity graph, and the pairwise and BCubed scores that compare them. */
package org.likeness.eval.cluster;
