package org.likeness.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;

/**
 * The job over S3 ({@code s3a://}, Hadoop's S3A client and the AWS SDK, signed requests over HTTP)
 * against a real S3 service on loopback (S3Proxy, the S3 API over a file-system blob store): media
 * listed and read from a bucket, sightings written there and imported from there; the same media,
 * faces, tracks and decisions as {@code scan} on local copies, bad media as failed rows, an import
 * twice storing once.
 */
class S3SparkScanTest {
  private static final String BUCKET = "footage-archive";
  @TempDir
  static Path dir;
  private static S3Service s3;
  private static FaceEngine engine;
  private static SparkSession spark;
  private static Fixture.Reference reference;

  @BeforeAll
  static void open() throws Exception {
    s3 = new S3Service(Files.createDirectories(dir.resolve("s3")), BUCKET);
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
    reference = Fixture.reference(dir, engine);
    try (FileSystem fs = s3.fileSystem(); Stream<Path> files = Files.list(reference.in())) {
      for (Path f : files.toList()) {
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.fs.Path(s3.uri("/in/" + f.getFileName())));
      }
    }
    spark = SparkSessions.open("local[2]", s3.sparkSettings());
  }

  @AfterAll
  static void close() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    if (engine != null) {
      engine.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void mediaOnS3GiveWhatScanGivesAndTheOutputImportsFromThere() throws Exception {
    String out = s3.uri("/jobs/j1");
    Fixture.runAndImport(spark, engine, dir.resolve("home"), s3.uri("/in"), out, reference);
    assertThat(s3.objects().blobExists(BUCKET, "jobs/j1/_likeness.json")).as("an object of the S3 service").isTrue();
    assertThat(spark.read().parquet(out + "/media").collectAsList())
        .extracting(r -> (String) r.getAs("uri")).hasSize(6).allMatch(u -> u.startsWith(s3.uri("/in/")));
  }
}
