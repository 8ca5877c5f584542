package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stored quality, boxes, tags and decision summaries: written with their version, read back without it, older values read, newer refused. */
class StoredJsonTest {
  @Test
  void tagsAreVersionedAndABareArrayIsTheFirstVersion() {
    String stored = StoredJson.tags(java.util.List.of("press", "2024"));
    assertThat(stored).isEqualTo("{\"v\":1,\"tags\":[\"press\",\"2024\"]}");
    assertThat(StoredJson.tagsOf(stored)).containsExactly("press", "2024");
    assertThat(StoredJson.tagsOf("[\"old\"]")).containsExactly("old");
    assertThat(StoredJson.tagsOf("[]")).isEmpty();
    assertThat(StoredJson.tagsOf(StoredJson.tags(null))).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoredJson.tagsOf("{\"v\":2,\"tags\":[]}"))
        .isInstanceOf(StoreException.class).hasMessageContaining("format version 2");
  }

  @Test
  void writtenWithTheirVersionAndReadBackInTheShapeAnswersHave() {
    String q = StoredJson.quality(Map.of("score", 0.8));
    assertThat(q).isEqualTo("{\"v\":1,\"score\":0.8}");
    assertThat(StoredJson.qualityOf(q).toString()).isEqualTo("{\"score\":0.8}");
    String b = StoredJson.boxes(List.of(Map.of("time", 1.5)));
    assertThat(b).isEqualTo("{\"v\":1,\"boxes\":[{\"time\":1.5}]}");
    assertThat(StoredJson.boxesOf(b).toString()).isEqualTo("[{\"time\":1.5}]");
    assertThat(StoredJson.boxesOf(StoredJson.boxes(List.of()))).isEmpty();
  }

  @Test
  void valuesStoredBeforeVersionsAreVersionOne() {
    assertThat(StoredJson.qualityOf("{\"score\":0.5}").toString()).isEqualTo("{\"score\":0.5}");
    assertThat(StoredJson.boxesOf("[{\"time\":2}]").toString()).isEqualTo("[{\"time\":2}]");
    assertThat(StoredJson.boxesOf("[]")).isEmpty();
    assertThat(StoredJson.boxesOf(null)).isEmpty();
    assertThat(StoredJson.qualityOf(null)).isNull();
  }

  @Test
  void aNewerOrDamagedValueIsRefusedNotMisread() {
    assertThatThrownBy(() -> StoredJson.qualityOf("{\"v\":2,\"score\":0.5}")).isInstanceOf(StoreException.class)
        .hasMessageContaining("newer than this program");
    assertThatThrownBy(() -> StoredJson.boxesOf("{\"v\":2,\"boxes\":[]}")).hasMessageContaining("newer than this program");
    assertThatThrownBy(() -> StoredJson.boxesOf("{\"v\":1}")).hasMessageContaining("no \"boxes\" array");
    assertThatThrownBy(() -> StoredJson.qualityOf("{not json")).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> StoredJson.qualityOf("[1]")).hasMessageContaining("not a JSON object");
  }

  @Test
  void aDecisionSummaryIsVersionedAndOneStoredBeforeVersionsReads() {
    String stored = StoredJson.summary(Map.of("cluster", 4));
    assertThat(stored).isEqualTo("{\"v\":1,\"cluster\":4}");
    assertThat(StoredJson.summaryOf(stored).toString()).isEqualTo("{\"cluster\":4}");
    assertThat(StoredJson.summaryOf("{\"cluster\":4}").toString()).isEqualTo("{\"cluster\":4}");
    assertThatThrownBy(() -> StoredJson.summaryOf("{\"v\":2}")).hasMessageContaining("newer than this program");
  }
}
