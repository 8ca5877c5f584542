package org.likeness.gallery.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.likeness.gallery.match.Candidate;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.service.StoredDecision;

/** A name carried along links: only where the group agrees, marked with the track it came from. */
class CarryingTest {
  private static final Candidate ANN = new Candidate(1, "ann", 0.8, null, 10);
  private static final Candidate ANN_WEAK = new Candidate(1, "ann", 0.3, null, 10);
  private static final Candidate BOB = new Candidate(2, "bob", 0.75, null, 20);
  private static final Identification NAMED_ANN = new Identification(List.of(ANN), ANN, 0.5, 0.001, 7, List.of());
  private static final Identification UNKNOWN = new Identification(List.of(ANN_WEAK), null, 0.5, 0.2, 7, List.of());
  private static final Carrying CARRYING = new Carrying(0.25);
  private final Random rnd = new Random(5);
  private final List<float[]> templates = List.of(TrackLinkerTest.unit(rnd), TrackLinkerTest.unit(rnd), TrackLinkerTest.unit(rnd),
      TrackLinkerTest.unit(rnd));

  @Test
  void anUnnamedTrackTakesItsGroupsNameWithTheTrackItCameFrom() {
    List<Identification> out = CARRYING.carry(Arrays.asList(2, 2, null), List.of(2, 5, 7), templates.subList(0, 3),
        List.of(NAMED_ANN, UNKNOWN, UNKNOWN));
    assertThat(out.get(0)).isSameAs(NAMED_ANN);
    assertThat(out.get(1).decision()).isEqualTo(ANN);
    assertThat(out.get(1).carried().from()).isEqualTo(2);
    assertThat(out.get(1).candidates()).as("its own candidates stay").containsExactly(ANN_WEAK);
    assertThat(out.get(1).fpir()).isEqualTo(0.001);
    assertThat(out.get(2)).as("linked to none").isSameAs(UNKNOWN);
    StoredDecision d = StoredDecision.read(StoredDecision.json(out.get(1), new org.likeness.gallery.match.MatchPolicy(
        org.likeness.gallery.search.SearchMethod.EXACT, org.likeness.gallery.match.Aggregation.MAX, 0.5, null), 3));
    assertThat(d.subject()).isEqualTo("ann");
    assertThat(d.carriedFrom()).isEqualTo(2);
    assertThat(d.node().path("decision").path("carriedFrom").asInt()).isEqualTo(2);
    assertThat(d.explain(null)).startsWith("ann 0.800").contains("carried from track 2");
  }

  @Test
  void aGroupNamingTwoPeopleCarriesNothing() {
    Identification bob = new Identification(List.of(BOB), BOB, 0.5, 0.001, 7, List.of());
    List<Identification> own = List.of(NAMED_ANN, UNKNOWN, bob);
    assertThat(CARRYING.carry(List.of(1, 1, 1), List.of(1, 2, 3), templates.subList(0, 3), own)).isEqualTo(own);
  }

  @Test
  void anAmbiguousTrackKeepsItsAnswer() {
    Identification ambiguous = new Identification(List.of(ANN_WEAK, BOB), null, 0.5, 0.01, 7, List.of(ANN_WEAK, BOB));
    List<Identification> own = List.of(NAMED_ANN, ambiguous);
    assertThat(CARRYING.carry(List.of(1, 1), List.of(1, 2), templates.subList(0, 2), own)).isEqualTo(own);
  }

  @Test
  void aTrackWhoseOwnScoreSpeaksAgainstTheNameKeepsItsAnswer() {
    Identification against = new Identification(List.of(new Candidate(1, "ann", 0.2, null, 10)), null, 0.5, 0.5, 7, List.of());
    Identification absent = new Identification(List.of(BOB), null, 0.5, 0.5, 7, List.of());
    List<Identification> own = List.of(NAMED_ANN, against, absent);
    assertThat(CARRYING.carry(List.of(1, 1, 1), List.of(1, 2, 3), templates.subList(0, 3), own)).isEqualTo(own);
  }

  @Test
  void theCarrierIsTheNamedTrackMostLikeTheUnnamedOne() {
    float[] probe = templates.get(0);
    List<float[]> ts = List.of(probe, TrackLinkerTest.near(probe, 2.0, rnd), TrackLinkerTest.near(probe, 0.1, rnd));
    List<Identification> out = CARRYING.carry(List.of(1, 1, 1), List.of(1, 2, 3), ts, List.of(UNKNOWN, NAMED_ANN, NAMED_ANN));
    assertThat(out.get(0).carried().from()).isEqualTo(3);
  }
}
