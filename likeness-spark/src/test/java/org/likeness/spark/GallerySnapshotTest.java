package org.likeness.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.geom.Box;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.FaceReviews;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.StoredJson;

/** The gallery a job broadcasts: what it holds, and how executors search it. */
class GallerySnapshotTest {
  @TempDir
  Path home;

  @Test
  void holdsEachSearchableTemplateOnceAndLeavesSuspectsOut() {
    try (GalleryStore store = GalleryStore.open(home)) {
      GalleryInfo g = store.createGallery("g", "pack", 4);
      long ann = store.ensureSubject(g.id(), "ann", null, null).id(), bob = store.ensureSubject(g.id(), "bob", null, null).id();
      String q = StoredJson.quality(java.util.Map.of("passed", true));
      long a1 = store.addFace(g.id(), ann, "a".repeat(64), new Box(0, 0, 9, 9), q, new float[] {1, 0, 0, 0}, null).faceId();
      long b1 = store.addFace(g.id(), bob, "b".repeat(64), new Box(0, 0, 9, 9), q, new float[] {0, 1, 0, 0}, null).faceId();
      long b2 = store.addFace(g.id(), bob, "c".repeat(64), new Box(0, 0, 9, 9), q, new float[] {0, 0, 1, 0}, null).faceId();
      store.reviews().set(g.id(), b2, FaceReviews.SUSPECT);
      GallerySnapshot s = GallerySnapshot.read(store, "g", null, 0.01, SearchMethod.AUTO, 3);
      assertThat(s.size()).isEqualTo(2);
      assertThat(s.faceIds()).containsExactly(a1, b1);
      assertThat(s.subjectIds()).containsExactly(ann, bob);
      assertThat(s.templates()).hasNumberOfRows(2);
      assertThat(s.templates()[1]).containsExactly(0, 1, 0, 0);
      assertThat(s.names()).containsEntry(ann, "ann").containsEntry(bob, "bob");
    }
  }

  @Test
  void executorsNeverBuildAGraphOfTheirOwn() {
    assertThat(GallerySnapshot.executorMethod(SearchMethod.AUTO, 100).resolve(100)).isEqualTo(SearchMethod.EXACT);
    assertThat(GallerySnapshot.executorMethod(SearchMethod.AUTO, SearchMethod.INT8_FROM).resolve(SearchMethod.INT8_FROM))
        .isEqualTo(SearchMethod.INT8);
    for (int n : List.of(SearchMethod.HNSW_FROM, 5_000_000)) {
      assertThat(GallerySnapshot.executorMethod(SearchMethod.AUTO, n)).as("%d templates", n).isEqualTo(SearchMethod.INT8);
      assertThat(GallerySnapshot.executorMethod(SearchMethod.HNSW, n)).isEqualTo(SearchMethod.INT8);
    }
    assertThat(GallerySnapshot.executorMethod(SearchMethod.EXACT, 5_000_000)).isEqualTo(SearchMethod.EXACT);
  }
}
