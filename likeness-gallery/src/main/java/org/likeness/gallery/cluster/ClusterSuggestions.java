package org.likeness.gallery.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.apache.lucene.util.VectorUtil;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.search.TemplateIndex;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.store.ClusterStore;

/** Suggestions for reviewers: pairs of clusters that are probably one person, and unnamed clusters' nearest subjects. */
final class ClusterSuggestions {
  private final ClusterStore clusters;
  private final GalleryService galleries;
  private final String pack;
  private final int dimension;
  private final ClusterThresholds thresholds;
  private final ForkJoinPool pool;

  ClusterSuggestions(ClusterStore clusters, GalleryService galleries, String pack, int dimension, ClusterThresholds thresholds, ForkJoinPool pool) {
    this.clusters = clusters;
    this.galleries = galleries;
    this.pack = pack;
    this.dimension = dimension;
    this.thresholds = thresholds;
    this.pool = pool;
  }

  /**
   * Pairs of clusters that are probably one person (mean similarity from {@link ClusterThresholds#suggestFrom()} up to
   * the link; pairs a reviewer rejected are never shown), best first, with the closest two faces as
   * evidence; and, with a gallery, each unnamed cluster's nearest subjects below the decision threshold.
   */
  public ClusterAnswers.Suggestions suggestions(String gallery, MatchPolicy policy, int limit) {
    List<ClusterStore.Unknown> all = clusters.unknown(pack);
    ClusterSums sums = new ClusterSums(dimension);
    Map<Long, List<ClusterStore.Unknown>> byCluster = new HashMap<>();
    for (ClusterStore.Unknown u : all) {
      if (u.clusterId() == 0) {
        continue;
      }
      sums.add(u.clusterId(), u.template());
      byCluster.computeIfAbsent(u.clusterId(), k -> new ArrayList<>()).add(u);
    }
    List<Long> ids = sums.clusters();
    List<ClusterAnswers.Pair> pairs = new ArrayList<>();
    try (TemplateIndex centroids = new TemplateIndex(dimension, pool)) {
      for (long id : ids) {
        centroids.add(id, sums.centroid(id));
      }
      Set<String> seen = new HashSet<>();
      for (long a : ids) {
        for (Hit h : centroids.search(sums.centroid(a), 8, SearchMethod.AUTO)) {
          long b = h.faceId();
          if (b == a || !seen.add(Math.min(a, b) + ":" + Math.max(a, b)) || clusters.cannotLink(a, b)) {
            continue;
          }
          double mean = sums.mean(a, b);
          if (mean >= thresholds.suggestFrom() && mean < thresholds.link()) {
            pairs.add(new ClusterAnswers.Pair(List.of(Math.min(a, b), Math.max(a, b)), Shapes.round4(mean),
                closest(byCluster.get(a), byCluster.get(b))));
          }
        }
      }
    }
    pairs.sort(Comparator.comparingDouble((ClusterAnswers.Pair p) -> -p.score()));
    List<ClusterAnswers.Pair> best = List.copyOf(pairs.subList(0, Math.min(limit, pairs.size())));
    List<ClusterAnswers.Nearest> near = null;
    if (gallery != null) {
      var g = galleries.searchable(gallery, pack); // stored templates: no engine needed
      near = new ArrayList<>();
      for (ClusterStore.Cluster c : clusters.clusters(pack)) {
        if (c.subject() != null || !sums.contains(c.id())) {
          continue;
        }
        Identification id = g.identify(sums.centroid(c.id()), 3, policy);
        near.add(new ClusterAnswers.Nearest(c.id(), c.size(), id.candidates().stream().map(Shapes::candidate).toList()));
        if (near.size() >= limit) {
          break;
        }
      }
    }
    return new ClusterAnswers.Suggestions(best, near);
  }

  /** The most similar face pair across two clusters (each sampled to its first 50 faces). */
  private static ClusterAnswers.Closest closest(List<ClusterStore.Unknown> a, List<ClusterStore.Unknown> b) {
    double best = Double.NEGATIVE_INFINITY;
    long sa = 0, sb = 0;
    for (ClusterStore.Unknown x : a.subList(0, Math.min(50, a.size()))) {
      for (ClusterStore.Unknown y : b.subList(0, Math.min(50, b.size()))) {
        double s = VectorUtil.dotProduct(x.template(), y.template());
        if (s > best) {
          best = s;
          sa = x.sightingId();
          sb = y.sightingId();
        }
      }
    }
    return new ClusterAnswers.Closest(List.of(sa, sb), Shapes.round4(best));
  }



}
