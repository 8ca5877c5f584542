package org.likeness.gallery.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.likeness.gallery.testing.RandomTemplates;

/**
 * Every search method on seeded random galleries, against brute force: recall, order, removals,
 * edge cases (empty index, k larger than the index, replaced templates). No model needed.
 */
class SearchMethodsTest {
  private static final int DIM = 128;
  private static final ForkJoinPool POOL = new ForkJoinPool(2);

  @ParameterizedTest
  @EnumSource(value = SearchMethod.class, names = {"EXACT", "INT8", "HNSW"})
  void findsTheSamePersonAndNeverARemovedFace(SearchMethod method) {
    RandomTemplates t = new RandomTemplates(DIM);
    int n = 500 + t.random().nextInt(3000);
    try (TemplateIndex index = new TemplateIndex(DIM, POOL)) {
      assertThat(index.search(t.unit(), 5, method)).as("empty index").isEmpty();
      List<float[]> data = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        data.add(t.unit());
        index.add(i, data.get(i));
      }
      if (method == SearchMethod.HNSW) {
        index.prepareHnsw();
      }
      Set<Long> removed = new HashSet<>();
      for (int i = 0; i < n / 10; i++) {
        long id = t.random().nextInt(n);
        assertThat(index.remove(id)).as(t.seed()).isEqualTo(removed.add(id));
      }
      if (method == SearchMethod.HNSW) {
        index.prepareHnsw(); // removals drop the graph; a new one is built without them
        assertThat(index.hasGraph()).as(t.seed()).isTrue();
      }
      int probes = 200, found = 0;
      for (int p = 0; p < probes; p++) {
        int person = t.random().nextInt(n);
        float[] probe = t.near(data.get(person), 0.8); // cosine about 0.8 to its template, about 0 to others
        List<Hit> hits = index.search(probe, 10, method);
        assertThat(hits).as(t.seed()).hasSizeLessThanOrEqualTo(10).isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
        assertThat(hits).extracting(Hit::faceId).as(t.seed()).doesNotContainAnyElementsOf(removed).doesNotHaveDuplicates();
        for (Hit h : hits) { // scores are exact cosines whatever the method
          assertThat((double) h.score()).as(t.seed()).isCloseTo(dot(data.get((int) h.faceId()), probe), org.assertj.core.data.Offset.offset(1e-4));
        }
        if (!removed.contains((long) person) && !hits.isEmpty() && hits.get(0).faceId() == person) {
          found++;
        }
        if (removed.contains((long) person)) {
          found++; // nothing to find; counted so the rate is over findable probes only
        }
      }
      double recall = found / (double) probes;
      assertThat(recall).as(method + " recall@1, " + t.seed()).isGreaterThanOrEqualTo(method == SearchMethod.HNSW ? 0.97 : 1.0);
      assertThat(index.size()).as(t.seed()).isEqualTo(n - removed.size());
    }
  }

  @ParameterizedTest
  @EnumSource(value = SearchMethod.class, names = {"EXACT", "INT8", "HNSW"})
  void smallIndexesAndReplacedTemplates(SearchMethod method) {
    RandomTemplates t = new RandomTemplates(DIM);
    try (TemplateIndex index = new TemplateIndex(DIM, POOL)) {
      float[] a = t.unit(), b = t.unit();
      index.add(1, a);
      index.add(2, b);
      if (method == SearchMethod.HNSW) {
        index.prepareHnsw();
      }
      assertThat(index.search(a, 50, method)).as("k beyond the index, " + t.seed()).extracting(Hit::faceId).containsExactly(1L, 2L);
      index.add(1, b); // face 1 now holds another template: the old one is gone
      assertThat(index.size()).isEqualTo(2);
      assertThat(index.search(b, 1, method).get(0).score()).as(t.seed()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
      List<Hit> forA = index.search(a, 2, method);
      assertThat(forA.get(0).score()).as(t.seed()).isLessThan(0.9f);
      assertThat(index.remove(1)).isTrue();
      assertThat(index.remove(1)).isFalse();
      assertThat(index.search(b, 5, method)).extracting(Hit::faceId).containsExactly(2L);
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
