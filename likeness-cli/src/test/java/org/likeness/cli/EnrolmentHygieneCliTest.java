package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrolment hygiene with the real engine on the fixture photos: Biden's photo enrolled as Obama is
 * flagged at enrolment, listed by {@code subjects check}, kept out of decisions (another photo of
 * Biden is not named Obama), and searched again once a person confirms it.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class EnrolmentHygieneCliTest {
  @Test
  void aScrapedPhotoOfSomeoneElseIsFlaggedAndKeptOutOfDecisions(@TempDir Path home) throws Exception {
    Map<String, String> env = GalleryCliTest.env(home);
    assertThat(CliContractTest.run(env, "gallery", "create", "watch").exit()).isZero();
    CliContractTest.Run enrol = CliContractTest.run(env, "enroll", "--gallery", "watch", "--subject", "obama",
        GalleryCliTest.photo("examples/obama.jpg"), GalleryCliTest.photo("examples/obama2.jpg"),
        GalleryCliTest.photo("examples/obama-480p.jpg"), GalleryCliTest.photo("examples/biden.jpg"), "--json");
    assertThat(enrol.exit()).as(enrol.err()).isZero();
    JsonNode suspects = enrol.json().get("suspects");
    assertThat(suspects).hasSize(1);
    long biden = suspects.get(0).get("face").asLong();
    assertThat(suspects.get(0).get("agreement").asDouble()).isLessThan(0.5693);
    assertThat(enrol.err()).contains("flagged: face " + biden + " of obama");

    CliContractTest.Run check = CliContractTest.run(env, "subjects", "check", "--gallery", "watch", "--json");
    assertThat(check.exit()).as(check.err()).isZero();
    assertThat(check.json().get("suspects")).hasSize(1);
    assertThat(check.json().get("suspects").get(0).get("face").asLong()).isEqualTo(biden);
    assertThat(suspects.get(0)).as("enrolment lists a suspect as subjects check does").isEqualTo(check.json().get("suspects").get(0));

    String otherBiden = GalleryCliTest.photo("examples/knn_examples/train/biden/biden2.jpg");
    JsonNode before = CliContractTest.run(env, "identify", "--gallery", "watch", otherBiden, "--json").json();
    assertThat(before.get("faces").get(0).get("decision").get("subject").isNull()).as("Biden is not named Obama").isTrue();

    assertThat(CliContractTest.run(env, "subjects", "confirm-face", "--gallery", "watch", Long.toString(biden)).exit()).isZero();
    JsonNode after = CliContractTest.run(env, "identify", "--gallery", "watch", otherBiden, "--json").json();
    assertThat(after.get("faces").get(0).get("decision").get("subject").asText())
        .as("a confirmed face is searched again (here, wrongly: the person confirmed a mistake)").isEqualTo("obama");
    assertThat(CliContractTest.run(env, "subjects", "check", "--gallery", "watch", "--json").json().get("suspects")).isEmpty();
  }
}
