package org.likeness.eval.cluster;

import org.likeness.gallery.cluster.SimilarityGraph;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.engine.embed.FaceEmbedder;

/** Scores on hand-made partitions, and every method on well separated synthetic identities (seeded). */
class ClusteringTest {

  @Test
  void scoresOfKnownPartitions() {
    int[] truth = {0, 0, 0, 1, 1, 2};
    ClusterScores perfect = ClusterScores.of(new int[] {5, 5, 5, 7, 7, 9}, truth);
    assertThat(perfect.pairwiseF()).isEqualTo(1.0);
    assertThat(perfect.bcubedF()).isEqualTo(1.0);
    ClusterScores singletons = ClusterScores.of(new int[] {0, 1, 2, 3, 4, 5}, truth);
    assertThat(singletons.bcubedPrecision()).isEqualTo(1.0);
    assertThat(singletons.pairwiseRecall()).isZero();
    assertThat(singletons.bcubedRecall()).isCloseTo((1 / 3.0 * 3 + 0.5 * 2 + 1) / 6, within(1e-12));
    ClusterScores oneBlob = ClusterScores.of(new int[6], truth);
    assertThat(oneBlob.pairwiseRecall()).isEqualTo(1.0);
    assertThat(oneBlob.pairwisePrecision()).isCloseTo(4 / 15.0, within(1e-12)); // 3 + 1 true pairs of 15
  }

  @Test
  void everyMethodRecoversSeparatedIdentities() {
    Random rnd = new Random(21);
    List<float[]> faces = new ArrayList<>();
    List<Integer> truth = new ArrayList<>();
    for (int person = 0; person < 30; person++) {
      float[] centre = new float[64];
      for (int d = 0; d < 64; d++) {
        centre[d] = (float) rnd.nextGaussian();
      }
      FaceEmbedder.normalize(centre);
      int photos = 1 + person % 5;
      for (int k = 0; k < photos; k++) {
        float[] v = new float[64];
        for (int d = 0; d < 64; d++) {
          v[d] = (float) (centre[d] + 0.06 * rnd.nextGaussian());
        }
        faces.add(FaceEmbedder.normalize(v));
        truth.add(person);
      }
    }
    SimilarityGraph g = SimilarityGraph.of(faces.toArray(new float[0][]), 0.2f);
    int[] t = truth.stream().mapToInt(Integer::intValue).toArray();
    for (ClusterMethod m : List.of(new AverageLinkage(0.47), new ChineseWhispers(0.5, 20, 1))) {
      ClusterScores s = ClusterScores.of(m.cluster(g), t);
      assertThat(s.bcubedF()).as(m.name()).isEqualTo(1.0);
    }
    // DBSCAN leaves people with fewer than 3 photos as noise (singletons): right here, since they are apart.
    assertThat(ClusterScores.of(new Dbscan(0.5, 3).cluster(g), t).bcubedPrecision()).isEqualTo(1.0);
  }
}
