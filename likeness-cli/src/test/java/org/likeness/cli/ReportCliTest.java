package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} and {@code report verify} from the command line: the real engine on fixture photos, exit codes as documented. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ReportCliTest {
  @Test
  void aReportVerifiesUntilItsSubjectIsDeleted(@TempDir Path home) throws Exception {
    Map<String, String> env = GalleryCliTest.env(home);
    Path photos = Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition"));
    assertThat(CliContractTest.run(env, "gallery", "create", "g").exit()).isZero();
    assertThat(CliContractTest.run(env, "enroll", "--gallery", "g", "--subject", "obama", "--store-crops",
        photos.resolve("examples/obama.jpg").toString()).exit()).isZero();
    assertThat(CliContractTest.run(env, "scan", photos.resolve("examples/knn_examples/test/obama1.jpg").toString(), "--gallery", "g")
        .exit()).isZero();
    Path pdf = home.resolve("obama.pdf");
    CliContractTest.Run issued = CliContractTest.run(env, "report", "--subject", "obama", "--gallery", "g", "--out", pdf.toString(),
        "--json");
    assertThat(issued.exit()).as(issued.err()).isZero();
    assertThat(issued.out()).contains("\"appearances\":1", "\"format\":\"pdf\"");
    assertThat(Files.readAllBytes(pdf)).startsWith("%PDF".getBytes());
    assertThat(CliContractTest.run(env, "report", "verify", pdf.toString()).exit()).isZero();
    assertThat(CliContractTest.run(env, "report", "--subject", "obama", "--gallery", "g", "--out", home.resolve("x.doc").toString())
        .exit()).as("an unknown format").isNotZero();
    Path changed = home.resolve("changed.pdf");
    byte[] b = Files.readAllBytes(pdf);
    b[b.length / 2] ^= 1;
    Files.write(changed, b);
    assertThat(CliContractTest.run(env, "report", "verify", changed.toString()).exit()).as("one changed byte").isNotZero();
    assertThat(CliContractTest.run(env, "subjects", "delete", "--gallery", "g", "obama").exit()).isZero();
    CliContractTest.Run gone = CliContractTest.run(env, "report", "verify", pdf.toString());
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).contains("deleted since the report was issued");
  }

  @Test
  void aGallerySettingKeepsEnrolmentCropsForReviewAndTurningItOffDeletesThem(@TempDir Path home) throws Exception {
    Map<String, String> env = GalleryCliTest.env(home);
    Path photos = Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition"));
    assertThat(CliContractTest.run(env, "gallery", "create", "g", "--keep-crops").exit()).isZero();
    assertThat(CliContractTest.run(env, "enroll", "--gallery", "g", "--subject", "obama", photos.resolve("examples/obama.jpg").toString())
        .exit()).isZero();
    CliContractTest.Run show = CliContractTest.run(env, "subjects", "show", "--gallery", "g", "obama", "--json");
    assertThat(show.out()).as(show.err()).contains("\"hasCrop\":true");
    CliContractTest.Run off = CliContractTest.run(env, "gallery", "settings", "g", "--keep-crops", "false", "--json");
    assertThat(off.out()).as(off.err()).contains("\"keepCrops\":false", "\"cropsDeleted\":1");
    assertThat(CliContractTest.run(env, "subjects", "show", "--gallery", "g", "obama", "--json").out()).contains("\"hasCrop\":false");
    assertThat(CliContractTest.run(env, "enroll", "--gallery", "g", "--subject", "obama",
        photos.resolve("examples/obama2.jpg").toString()).exit()).isZero();
    assertThat(CliContractTest.run(env, "subjects", "show", "--gallery", "g", "obama", "--json").out()).doesNotContain("\"hasCrop\":true");
    assertThat(CliContractTest.run(env, "gallery", "stats", "g", "--json").out()).contains("\"keepCrops\":false");
  }
}
