/** Unknown faces: clustering with reviewers' constraints, incremental placement, decisions that last, and where a face appears. */
package org.likeness.gallery.cluster;
