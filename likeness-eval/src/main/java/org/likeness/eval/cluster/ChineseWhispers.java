package org.likeness.eval.cluster;

import org.likeness.gallery.cluster.SimilarityGraph;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Chinese Whispers (Biemann 2006), as dlib clusters faces: every face starts with its own label and,
 * in random order for a number of rounds, takes the label with the largest summed edge weight
 * among its neighbours at or above {@code threshold}. Seeded, so a run is repeatable.
 */
public record ChineseWhispers(double threshold, int rounds, long seed) implements ClusterMethod {
  @Override
  public String name() {
    return String.format(Locale.ROOT, "chinese-whispers(threshold %.2f)", threshold);
  }

  @Override
  public int[] cluster(SimilarityGraph g) {
    int n = g.size();
    int[] label = new int[n];
    for (int i = 0; i < n; i++) {
      label[i] = i;
    }
    Random rnd = new Random(seed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int r = 0; r < rounds; r++) {
      for (int i = n - 1; i > 0; i--) { // shuffle
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int i : order) {
        Map<Integer, Double> weight = new HashMap<>();
        int[] nb = g.neighbours(i);
        float[] sim = g.similarities(i);
        for (int k = 0; k < nb.length; k++) {
          if (sim[k] >= threshold) {
            weight.merge(label[nb[k]], (double) sim[k], Double::sum);
          }
        }
        weight.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(e -> label[i] = e.getKey());
      }
    }
    return label;
  }
}
