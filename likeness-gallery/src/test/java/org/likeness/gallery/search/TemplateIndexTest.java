package org.likeness.gallery.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class TemplateIndexTest {
  private static final int DIM = 512;

  static float[] unit(Random rnd) {
    float[] v = new float[DIM];
    double n = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) rnd.nextGaussian();
      n += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  /** A probe near a stored template (cosine about 0.6-0.9): the realistic case of a second photo of someone. */
  static float[] near(float[] t, Random rnd, double noise) {
    float[] v = new float[DIM];
    float[] r = unit(rnd);
    double n = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) (t[i] + noise * r[i]);
      n += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  static long bruteTop1(List<float[]> data, float[] q) {
    long best = -1;
    double bs = -2;
    for (int i = 0; i < data.size(); i++) {
      double s = 0;
      for (int d = 0; d < DIM; d++) {
        s += data.get(i)[d] * q[d];
      }
      if (s > bs) {
        bs = s;
        best = i;
      }
    }
    return best;
  }

  @Test
  void exactInt8AndHnswAgreeWithBruteForce() {
    Random rnd = new Random(11);
    ForkJoinPool pool = new ForkJoinPool(2);
    TemplateIndex index = new TemplateIndex(DIM, pool);
    List<float[]> data = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      float[] v = unit(rnd);
      data.add(v);
      index.add(i, v);
    }
    int probes = 200, exactOk = 0, int8Ok = 0, hnswNearOk = 0;
    for (int p = 0; p < probes; p++) {
      boolean nearProbe = p % 2 == 0;
      float[] q = nearProbe ? near(data.get(rnd.nextInt(data.size())), rnd, 0.8) : unit(rnd);
      long truth = bruteTop1(data, q);
      exactOk += index.search(q, 1, SearchMethod.EXACT).get(0).faceId() == truth ? 1 : 0;
      int8Ok += index.search(q, 1, SearchMethod.INT8).get(0).faceId() == truth ? 1 : 0;
      if (nearProbe) {
        hnswNearOk += index.search(q, 1, SearchMethod.HNSW).get(0).faceId() == truth ? 1 : 0;
      }
    }
    assertThat(exactOk).isEqualTo(probes);
    assertThat(int8Ok).isGreaterThanOrEqualTo((int) (probes * 0.99));
    // A probe from the same person (near a template) is what identification asks; uniform random
    // probes in 512-d, where every similarity is about 0, are HNSW's degenerate case and not asserted.
    assertThat(hnswNearOk).isGreaterThanOrEqualTo(probes / 2 - 1);
    pool.shutdown();
  }

  @Test
  void removeAndReplaceKeepTheIndexConsistent() {
    Random rnd = new Random(3);
    TemplateIndex index = new TemplateIndex(DIM, new ForkJoinPool(2));
    List<float[]> data = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      data.add(unit(rnd));
      index.add(i, data.get(i));
    }
    for (int i = 0; i < 300; i += 3) {
      assertThat(index.remove(i)).isTrue();
    }
    assertThat(index.remove(0)).isFalse();
    assertThat(index.size()).isEqualTo(200);
    for (int i = 0; i < 300; i++) {
      List<Hit> hit = index.search(data.get(i), 1, SearchMethod.EXACT);
      if (i % 3 == 0) {
        assertThat(hit.get(0).faceId()).isNotEqualTo(i);
      } else {
        assertThat(hit.get(0).faceId()).isEqualTo(i);
        assertThat(hit.get(0).score()).isGreaterThan(0.9999f);
      }
      assertThat(index.search(data.get(i), 1, SearchMethod.HNSW).get(0).faceId()).isEqualTo(i % 3 == 0 ? hit.get(0).faceId() : i);
    }
  }

  @Test
  void enrolmentsAfterTheGraphAreSearchedBesideItUntilItIsStale() {
    Random rnd = new Random(21);
    ForkJoinPool pool = new ForkJoinPool(2);
    TemplateIndex index = new TemplateIndex(DIM, pool);
    List<float[]> data = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      data.add(unit(rnd));
      index.add(i, data.get(i));
    }
    index.prepareHnsw();
    assertThat(index.outsideGraph()).isZero();
    for (int i = 2000; i < 2050; i++) {
      data.add(unit(rnd));
      index.add(i, data.get(i));
    }
    assertThat(index.outsideGraph()).isEqualTo(50); // no rebuild for 50 enrolments
    for (int i = 2000; i < 2050; i++) {
      assertThat(index.search(near(data.get(i), rnd, 0.8), 1, SearchMethod.HNSW).get(0).faceId()).isEqualTo(i);
    }
    index.add(5, data.get(5)); // the same template again: nothing changes
    assertThat(index.outsideGraph()).isEqualTo(50);
    for (int i = 2050; i < 2050 + TemplateIndex.STALE_MIN; i++) {
      data.add(unit(rnd));
      index.add(i, data.get(i));
    }
    // Stale: a rebuild runs in the background while the old graph and the exact side list serve.
    assertThat(index.search(data.get(2500), 1, SearchMethod.HNSW).get(0).faceId()).isEqualTo(2500);
    index.prepareHnsw(); // waits for that rebuild
    // The rebuild started at the 1,001st template outside the graph and took its snapshot while
    // the last adds went on, so up to the 49 after it may still be outside: fewer than before.
    assertThat(index.outsideGraph()).as("rebuilt").isLessThanOrEqualTo(49);
    assertThat(index.graphHolds(2000)).isTrue();
    assertThat(index.search(data.get(2500), 1, SearchMethod.HNSW).get(0).faceId()).isEqualTo(2500);
    assertThat(index.remove(2500)).isTrue(); // a deletion leaves the graph too
    assertThat(index.hasGraph()).isFalse();
    assertThat(index.search(data.get(2500), 5, SearchMethod.HNSW)).extracting(Hit::faceId).doesNotContain(2500L);
    index.prepareHnsw();
    assertThat(index.graphHolds(2500)).isFalse();
    assertThat(index.graphHolds(2501)).isTrue();
    pool.shutdown();
  }

  @Test
  void aSavedGraphIsReusedWithAdditionsButNeverWithDeletedFaces(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    Random rnd = new Random(5);
    ForkJoinPool pool = new ForkJoinPool(2);
    List<float[]> data = new ArrayList<>();
    for (int i = 0; i < 2020; i++) {
      data.add(unit(rnd));
    }
    TemplateIndex first = new TemplateIndex(DIM, pool, dir);
    for (int i = 0; i < 2000; i++) {
      first.add(i, data.get(i));
    }
    first.prepareHnsw(); // built and saved
    TemplateIndex later = new TemplateIndex(DIM, pool, dir); // a later process; 20 enrolled since
    for (int i = 0; i < 2020; i++) {
      later.add(i, data.get(i));
    }
    later.prepareHnsw();
    assertThat(later.outsideGraph()).as("saved graph reused, additions searched exactly").isEqualTo(20);
    assertThat(later.search(data.get(2010), 1, SearchMethod.HNSW).get(0).faceId()).isEqualTo(2010);
    TemplateIndex afterDelete = new TemplateIndex(DIM, pool, dir); // face 7 deleted in the store since
    for (int i = 0; i < 2020; i++) {
      if (i != 7) {
        afterDelete.add(i, data.get(i));
      }
    }
    afterDelete.prepareHnsw();
    assertThat(afterDelete.outsideGraph()).as("rebuilt: the saved graph held a deleted face").isZero();
    assertThat(afterDelete.search(data.get(7), 10, SearchMethod.HNSW)).extracting(Hit::faceId).doesNotContain(7L);
    pool.shutdown();
  }

  @Test
  void aRemovalDuringABuildIsNeverInstalled(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
    Random rnd = new Random(9);
    ForkJoinPool pool = new ForkJoinPool(2);
    TemplateIndex index = new TemplateIndex(DIM, pool, home.resolve("index"));
    List<float[]> data = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      data.add(unit(rnd));
      index.add(i, data.get(i));
    }
    // The first HNSW search answers at once (int8 scan) and starts the build in the background.
    assertThat(index.search(data.get(42), 1, SearchMethod.HNSW).get(0).faceId()).isEqualTo(42);
    assertThat(index.remove(42)).isTrue(); // almost surely while that build runs
    index.prepareHnsw();
    assertThat(index.graphHolds(42)).as("a graph from a snapshot taken before the removal").isFalse();
    assertThat(index.graphHolds(43)).isTrue();
    // On disk: the saved graph holds the kept templates' floats, and not the removed one's.
    byte[] removed = java.util.Arrays.copyOf(toBytes(data.get(42)), 64), kept = java.util.Arrays.copyOf(toBytes(data.get(43)), 64);
    boolean keptFound = false;
    try (var files = java.nio.file.Files.walk(home)) {
      for (java.nio.file.Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        byte[] b = java.nio.file.Files.readAllBytes(f);
        assertThat(indexOf(b, removed)).as("removed template in %s", f).isNegative();
        keptFound |= indexOf(b, kept) >= 0;
      }
    }
    assertThat(keptFound).as("the check can see templates in the saved graph").isTrue();
    pool.shutdown();
  }

  private static byte[] toBytes(float[] v) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void autoPicksByGallerySize() {
    assertThat(SearchMethod.AUTO.resolve(10)).isEqualTo(SearchMethod.EXACT);
    assertThat(SearchMethod.AUTO.resolve(SearchMethod.INT8_FROM)).isEqualTo(SearchMethod.INT8);
    assertThat(SearchMethod.AUTO.resolve(SearchMethod.HNSW_FROM)).isEqualTo(SearchMethod.HNSW);
    assertThat(SearchMethod.HNSW.resolve(10)).isEqualTo(SearchMethod.HNSW);
  }
}
