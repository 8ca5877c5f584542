package org.likeness.eval.cluster;

import org.likeness.gallery.cluster.SimilarityGraph;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;

/**
 * DBSCAN on cosine distance, as photo libraries use it (Immich: distance 0.5, 3 faces minimum): a
 * face with at least {@code minPoints} faces within {@code maxDistance} (itself included) is a core;
 * clusters grow through cores; the rest stay alone (noise, each its own cluster here).
 */
public record Dbscan(double maxDistance, int minPoints) implements ClusterMethod {
  @Override
  public String name() {
    return String.format(Locale.ROOT, "dbscan(distance %.2f, min %d)", maxDistance, minPoints);
  }

  @Override
  public int[] cluster(SimilarityGraph g) {
    int n = g.size();
    double minSim = 1 - maxDistance;
    int[] label = new int[n];
    Arrays.fill(label, -1);
    int next = 0;
    for (int i = 0; i < n; i++) {
      if (label[i] >= 0 || !core(g, i, minSim)) {
        continue;
      }
      int c = next++;
      ArrayDeque<Integer> queue = new ArrayDeque<>();
      label[i] = c;
      queue.add(i);
      while (!queue.isEmpty()) {
        int p = queue.poll();
        if (!core(g, p, minSim)) {
          continue; // a border face joins but does not extend
        }
        int[] nb = g.neighbours(p);
        float[] sim = g.similarities(p);
        for (int k = 0; k < nb.length; k++) {
          if (sim[k] >= minSim && label[nb[k]] < 0) {
            label[nb[k]] = c;
            queue.add(nb[k]);
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (label[i] < 0) {
        label[i] = next++;
      }
    }
    return label;
  }

  private boolean core(SimilarityGraph g, int i, double minSim) {
    int count = 1;
    for (float s : g.similarities(i)) {
      count += s >= minSim ? 1 : 0;
    }
    return count >= minPoints;
  }
}
