package org.likeness.gallery.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.likeness.gallery.testing.RandomTemplates;

/** The bounded heap against a full sort, on random input with ties, split and merged as the parallel scan does. */
class TopKTest {

  @RepeatedTest(20)
  void keepsTheKBestAsASortWould() {
    RandomTemplates t = new RandomTemplates(1);
    int n = t.random().nextInt(2000), k = 1 + t.random().nextInt(60), parts = 1 + t.random().nextInt(5);
    List<Hit> all = new ArrayList<>();
    List<TopK> partial = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      partial.add(new TopK(k));
    }
    for (int i = 0; i < n; i++) {
      float score = t.random().nextInt(200) / 100f - 1; // coarse: many ties
      all.add(new Hit(i, score));
      partial.get(i % parts).offer(i, score);
    }
    TopK merged = partial.get(0);
    for (int p = 1; p < parts; p++) {
      merged.addAll(partial.get(p));
    }
    List<Hit> got = merged.sorted();
    all.sort(Comparator.comparingDouble(Hit::score).reversed());
    assertThat(got).as(t.seed()).hasSize(Math.min(k, n));
    assertThat(got).extracting(Hit::score).as(t.seed()).containsExactlyElementsOf(all.subList(0, Math.min(k, n)).stream().map(Hit::score).toList());
    if (got.size() == k) {
      assertThat(merged.floor()).as(t.seed()).isEqualTo(got.get(k - 1).score());
    }
  }

  @Test
  void zeroAndEmpty() {
    TopK none = new TopK(0);
    none.offer(1, 1f);
    assertThat(none.sorted()).isEmpty();
    TopK empty = new TopK(3);
    assertThat(empty.sorted()).isEmpty();
    assertThat(empty.floor()).isEqualTo(Float.NEGATIVE_INFINITY);
  }
}
