package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.spark.S3Service;

/**
 * {@code spark scan} and {@code scans import} as a user runs them on media in an S3 bucket: a real
 * S3 service on loopback reached through {@code --conf spark.hadoop.fs.s3a.*}, the job read from and
 * written to the bucket, its scans imported once and naming the enrolled person.
 */
class SparkS3CliTest {

  private static String[] with(List<String> args, Map<String, String> conf) {
    List<String> all = new ArrayList<>(args);
    conf.forEach((k, v) -> {
      all.add("--conf");
      all.add(k + "=" + v);
    });
    return all.toArray(String[]::new);
  }

  @Test
  void aJobOnABucketIsScannedImportedOnceAndNamesTheEnrolled(@TempDir Path home, @TempDir Path objects) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LIKENESS_HOME", home.toString());
    assertThat(CliContractTest.run(env, "gallery", "create", "watch").exit()).isZero();
    assertThat(CliContractTest.run(env, "enroll", "--gallery", "watch", "--subject", "Barack Obama",
        CliContractTest.photo("examples/obama.jpg")).exit()).isZero();
    try (S3Service s3 = new S3Service(objects, "archive")) {
      try (FileSystem fs = s3.fileSystem()) {
        for (String name : new String[] {"obama2.jpg", "biden.jpg"}) {
          fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Path.of(CliContractTest.photo("examples/" + name)).toUri()),
              new org.apache.hadoop.fs.Path(s3.uri("/in/" + name)));
        }
      }
      Map<String, String> conf = s3.sparkSettings();
      CliContractTest.Run scan = CliContractTest.run(env, with(List.of("spark", "scan", s3.uri("/in"), "--out", s3.uri("/out"),
          "--gallery", "watch", "--master", "local[1]", "--json"), conf));
      assertThat(scan.exit()).as(scan.err()).isZero();
      JsonNode s = scan.json();
      assertThat(s.get("media").asInt()).isEqualTo(2);
      assertThat(s.get("failed").asInt()).isZero();
      assertThat(s.get("output").asText()).isEqualTo(s3.uri("/out"));
      assertThat(s.get("imported").get("stored").asInt()).isEqualTo(2);
      assertThat(s3.objects().blobExists("archive", "out/_likeness.json")).isTrue();

      CliContractTest.Run named = CliContractTest.run(env, "scans", "list", "--subject", "Barack Obama");
      assertThat(named.out()).contains(s3.uri("/in/obama2.jpg")).doesNotContain("biden.jpg");

      CliContractTest.Run again = CliContractTest.run(env, with(List.of("scans", "import", s3.uri("/out"), "--gallery", "watch", "--json"), conf));
      assertThat(again.exit()).as(again.err()).isZero();
      assertThat(again.json().get("stored").asInt()).as("importing twice stores once").isZero();
      assertThat(again.json().get("skipped").asInt()).isEqualTo(2);

      CliContractTest.Run misspelt = CliContractTest.run(env, "scans", "import", s3.uri("/out"), "--conf", "fs.s3a.endpoint=http://x");
      assertThat(misspelt.exit()).isEqualTo(Main.EXIT_INPUT);
      assertThat(misspelt.err()).contains("not a Spark setting").contains("spark.hadoop.fs.s3a.endpoint");
    }
  }
}
