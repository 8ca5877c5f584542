package org.likeness.eval.cluster;

import org.likeness.gallery.cluster.ConstrainedLinkage;
import org.likeness.gallery.cluster.SimilarityGraph;
import java.util.Locale;

/**
 * Average-linkage agglomerative clustering stopped at a threshold: the two clusters with the
 * highest mean similarity over all their cross pairs merge, until no pair reaches
 * {@code threshold}. Pairs below the graph's floor count as similarity 0 (the floor is far below
 * any threshold used), so only the graph's edges need keeping. Deterministic.
 */
public record AverageLinkage(double threshold) implements ClusterMethod {
  @Override
  public String name() {
    return String.format(Locale.ROOT, "average-linkage(threshold %.2f)", threshold);
  }

  @Override
  public int[] cluster(SimilarityGraph g) {
    return new ConstrainedLinkage(threshold).cluster(g); // the production algorithm, without reviewers' groups
  }
}
