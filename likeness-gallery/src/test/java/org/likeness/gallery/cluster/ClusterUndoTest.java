package org.likeness.gallery.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.InvalidInputException;

class ClusterUndoTest {
  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

  @Test
  void roundTripsWithItsVersion() {
    ClusterUndo u = ClusterUndo.of(List.of(new ClusterStore.Cluster(7, "p", true, "ann", "g", 3, T, T)),
            List.of(new ClusterStore.Member(11, 7, true), new ClusterStore.Member(12, 7, false)))
        .withCreated(List.of(9L)).withCannot(List.of(List.of(7L, 9L)), List.of(List.of(5L, 6L)))
        .withFaces(new ClusterUndo.EnrolledFaces("g", List.of(1L, 2L), false, "ann", 4L));
    String json = u.json();
    assertThat(json).contains("\"v\":1");
    ClusterUndo back = ClusterUndo.read(1, json);
    assertThat(back).isEqualTo(u);
    ClusterStore.Cluster restored = back.clusters().get(0).restored("p");
    assertThat(restored.id()).isEqualTo(7);
    assertThat(restored.subject()).isEqualTo("ann");
    assertThat(restored.created()).isEqualTo(T);
  }

  @Test
  void facesEnrolledBeforeTheSubjectIdWasRecordedReadWithoutIt() {
    String before = ClusterUndo.of(List.of(), List.of()).withFaces(new ClusterUndo.EnrolledFaces("g", List.of(1L), true, "ann", 4L)).json()
        .replace(",\"subjectId\":4", "");
    assertThat(before).contains("\"subject\":\"ann\"").doesNotContain("subjectId");
    assertThat(ClusterUndo.read(1, before).faces()).isEqualTo(new ClusterUndo.EnrolledFaces("g", List.of(1L), true, "ann", null));
  }

  @Test
  void readsRecordsWrittenBeforeVersionsAndWithoutOptionalParts() {
    // as the decision log held them before the format had a version: no "v", no "cannotRestore", no "faces"
    String old = "{\"clusters\":[{\"id\":3,\"locked\":false,\"subject\":null,\"gallery\":null,\"created\":\"2026-01-02T03:04:05Z\"}],"
        + "\"members\":[{\"sighting\":4,\"cluster\":3,\"pinned\":false}],\"created\":[],\"cannot\":[[3,8]]}";
    ClusterUndo u = ClusterUndo.read(2, old);
    assertThat(u.v()).isEqualTo(1);
    assertThat(u.cannotRestore()).isEmpty();
    assertThat(u.faces()).isNull();
    assertThat(u.cannot()).containsExactly(List.of(3L, 8L));
    assertThat(u.members()).containsExactly(new ClusterUndo.MemberRow(4, 3, false));
    assertThat(u.json()).doesNotContain("cannotRestore").doesNotContain("faces");
  }

  @Test
  void refusesANewerFormat() {
    assertThatThrownBy(() -> ClusterUndo.read(5, "{\"v\":2,\"clusters\":[],\"members\":[],\"created\":[],\"cannot\":[]}"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("decision 5").hasMessageContaining("newer program");
  }
}
