package org.likeness.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;

/**
 * The job over a real HDFS (a NameNode and two DataNodes in this JVM, hdfs:// over RPC, the Hadoop
 * client's own test cluster): media listed and read from {@code hdfs://}, sightings written there,
 * imported from there; the same media, faces, tracks and decisions as {@code scan} on local copies,
 * bad media as failed rows, an import twice storing once.
 */
class HdfsSparkScanTest {
  @TempDir
  static Path dir;
  private static MiniDFSCluster hdfs;
  private static FaceEngine engine;
  private static SparkSession spark;
  private static Fixture.Reference reference;

  @BeforeAll
  static void open() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(2).build();
    hdfs.waitActive();
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
    reference = Fixture.reference(dir, engine);
    FileSystem fs = hdfs.getFileSystem();
    try (Stream<Path> files = Files.list(reference.in())) {
      for (Path f : files.toList()) {
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.fs.Path("/footage/" + f.getFileName()));
      }
    }
    spark = SparkSessions.open("local[2]");
  }

  @AfterAll
  static void close() {
    if (spark != null) {
      spark.stop();
    }
    if (engine != null) {
      engine.close();
    }
    if (hdfs != null) {
      hdfs.shutdown(true);
    }
  }

  private static String uri(String path) throws java.io.IOException {
    return hdfs.getFileSystem().getUri() + path;
  }

  @Test
  void mediaOnHdfsGiveWhatScanGivesAndTheOutputImportsFromThere() throws Exception {
    String out = uri("/jobs/j1");
    Fixture.runAndImport(spark, engine, dir.resolve("home"), uri("/footage"), out, reference);
    assertThat(hdfs.getFileSystem().exists(new org.apache.hadoop.fs.Path("/jobs/j1/_likeness.json"))).as("written to HDFS").isTrue();
    assertThat(spark.read().parquet(out + "/media").filter("failed").collectAsList())
        .extracting(r -> (String) r.getAs("uri")).allMatch(u -> u.startsWith("hdfs://"));
  }
}
