package org.likeness.gallery.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.search.TemplateIndex;

/**
 * Places new faces in existing clusters without re-clustering: the nearest clustered faces (the
 * gallery's index: exact, int8 or HNSW by size) name the candidate clusters, and the face joins
 * the one with the highest mean similarity to all its members when that mean reaches the link
 * threshold; otherwise it opens a cluster of its own. The mean is exact: each cluster keeps the
 * sum of its members' unit templates, and mean(probe . member) = probe . sum / size, the same
 * criterion average linkage merges by. Not thread-safe.
 */
public final class IncrementalAssigner implements AutoCloseable {
  /** Nearest faces looked at per new face. */
  public static final int NEIGHBOURS = 32;

  private final double link;
  private final TemplateIndex index;
  private final Map<Long, Long> clusterOf = new HashMap<>();
  private final ClusterSums sums;

  /** An empty assigner for templates of {@code dimension} values, joining at mean similarity {@code link}. */
  public IncrementalAssigner(int dimension, double link, ForkJoinPool pool) {
    this.link = link;
    this.index = new TemplateIndex(dimension, pool);
    this.sums = new ClusterSums(dimension);
  }

  /** Records that face {@code id} (unit template) is in cluster {@code cluster}. */
  public void add(long id, float[] template, long cluster) {
    index.add(id, template);
    clusterOf.put(id, cluster);
    sums.add(cluster, template);
  }

  /** The faces held. */
  public int size() {
    return index.size();
  }

  /** Where a new face belongs: its best cluster and the mean similarity to it, or {@code cluster} 0 when none reaches the link. */
  public record Placement(long cluster, double mean) {}

  /** The cluster a new face should join (it is not added: call {@link #add} with the decision). */
  public Placement place(float[] template) {
    if (index.size() == 0) {
      return new Placement(0, 0);
    }
    List<Hit> hits = index.search(template, NEIGHBOURS, SearchMethod.AUTO);
    Set<Long> seen = new HashSet<>();
    long best = 0;
    double bestMean = Double.NEGATIVE_INFINITY;
    for (Hit h : hits) {
      Long c = clusterOf.get(h.faceId());
      if (c == null || !seen.add(c)) {
        continue;
      }
      double mean = sums.mean(c, template);
      if (mean > bestMean || (mean == bestMean && c < best)) {
        bestMean = mean;
        best = c;
      }
    }
    return bestMean >= link ? new Placement(best, bestMean) : new Placement(0, Math.max(0, bestMean));
  }

  /** Expert: the index, to build its HNSW graph ahead of a burst of placements. */
  public TemplateIndex index() {
    return index;
  }

  @Override
  public void close() {
    index.close();
  }
}
