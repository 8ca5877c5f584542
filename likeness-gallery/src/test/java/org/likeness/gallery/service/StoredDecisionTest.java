package org.likeness.gallery.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Candidate;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;

/** The stored decision: its rule kept (version 1), read back, and explained to a person. */
class StoredDecisionTest {
  private static final MatchPolicy RULE = new MatchPolicy(SearchMethod.EXACT, Aggregation.MAX, 0.42, null);

  @Test
  void aDecisionOfANewerFormatIsRefusedAndOneWithoutAVersionIsTheFirst() {
    assertThat(StoredDecision.read("{\"decision\":{\"subject\":\"ann\"}}").subject()).isEqualTo("ann");
    assertThat(StoredDecision.read("{\"decision\":{\"subject\":\"ann\"},\"v\":1}").subject()).isEqualTo("ann");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoredDecision.read("{\"decision\":{},\"v\":2}"))
        .isInstanceOf(org.likeness.gallery.store.StoreException.class).hasMessageContaining("format version 2");
  }

  @Test
  void keepsTheRuleItWasDecidedBy() {
    Candidate obama = new Candidate(1, "obama", 0.7123, null, 11);
    StoredDecision d = StoredDecision.read(StoredDecision.json(new Identification(List.of(obama), obama), RULE, 3));
    assertThat(d.subject()).isEqualTo("obama");
    assertThat(d.threshold(0)).isEqualTo(0.42);
    assertThat(d.top()).isEqualTo(3);
    assertThat(d.aggregation()).isEqualTo(Aggregation.MAX);
    assertThat(d.node().path("v").asInt()).isEqualTo(StoredDecision.VERSION);
    assertThat(d.matchedFace(11)).isTrue();
    assertThat(d.mentions("obama")).isTrue();
    assertThat(d.mentions("biden")).isFalse();
    assertThat(d.entryScore()).as("room for two more candidates").isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(d.explain(null)).isEqualTo("obama 0.712");
    assertThat(d.shortLabel()).isEqualTo("obama 0.71");
  }

  @Test
  void anUnknownFaceSaysWhoCameClosestAndWhy() {
    Candidate biden = new Candidate(2, "biden", 0.3111, null, 12);
    StoredDecision d = StoredDecision.read(StoredDecision.json(new Identification(List.of(biden), null), RULE, 1));
    assertThat(d.subject()).isNull();
    assertThat(d.explain("{\"passed\":false,\"reasons\":[\"blurry\",\"small\"]}"))
        .isEqualTo("unknown: closest biden 0.311 < threshold 0.420; quality: blurry, small");
    assertThat(d.shortLabel()).isEqualTo("unknown (biden 0.31<0.42)");
    assertThat(d.entryScore()).as("a full list of one: a new face must beat biden").isBetween(0.3110, 0.3111);
    StoredDecision empty = StoredDecision.read(StoredDecision.json(new Identification(List.of(), null), RULE, 5));
    assertThat(empty.explain(null)).isEqualTo("unknown: nobody enrolled to compare with");
    // a decision stored before the rule was kept re-decides by the pack's default
    StoredDecision old = StoredDecision.read("{\"decision\":{\"subject\":null,\"score\":0.2,\"fmr\":null},\"candidates\":[]}");
    assertThat(old.threshold(0.5)).isEqualTo(0.5);
    assertThat(old.top()).isEqualTo(5);
  }
}
