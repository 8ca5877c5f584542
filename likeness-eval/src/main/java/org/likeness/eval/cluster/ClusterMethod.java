package org.likeness.eval.cluster;

import org.likeness.gallery.cluster.SimilarityGraph;

/** A way of grouping faces into clusters of one person each: a label per face. */
public interface ClusterMethod {
  /** What the method is and its settings, for reports. */
  String name();

  /** A cluster label per face of the graph (labels are arbitrary ints; a singleton has its own). */
  int[] cluster(SimilarityGraph g);
}
