package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.gallery.store.InvalidInputException;

/** What a Spark command hands its session: the Hadoop configuration folder's settings, then --conf over them. */
class SparkSettingsTest {

  private static String site(String name, String value) {
    return "<configuration><property><name>" + name + "</name><value>" + value + "</value></property></configuration>";
  }

  @Test
  void theHadoopFolderIsReadAndConfWinsOverIt(@TempDir Path conf) throws Exception {
    Files.writeString(conf.resolve("yarn-site.xml"), site("yarn.resourcemanager.address", "127.0.0.1:8032"));
    Files.writeString(conf.resolve("core-site.xml"), site("fs.defaultFS", "hdfs://nn:8020"));
    Files.writeString(conf.resolve("mapred-site.xml"), site("mapreduce.framework.name", "yarn")); // not one Spark reads
    Map<String, String> s = SparkSettings.of("yarn", Map.of("HADOOP_CONF_DIR", conf.toString()),
        Map.of("spark.hadoop.fs.defaultFS", "hdfs://other:8020", "spark.executor.memory", "3g"));
    assertThat(s).containsEntry("spark.hadoop.yarn.resourcemanager.address", "127.0.0.1:8032")
        .containsEntry("spark.hadoop.fs.defaultFS", "hdfs://other:8020")
        .containsEntry("spark.executor.memory", "3g")
        .doesNotContainKey("spark.hadoop.mapreduce.framework.name");
    assertThat(SparkSettings.of("local[1]", Map.of("YARN_CONF_DIR", conf.toString()), Map.of()))
        .containsEntry("spark.hadoop.fs.defaultFS", "hdfs://nn:8020");
    assertThat(SparkSettings.of("local[1]", Map.of(), Map.of())).as("only the job's own disk encryption")
        .containsExactly(Map.entry("spark.io.encryption.enabled", "true"));
    assertThat(SparkSettings.of("local[1]", Map.of(), Map.of("spark.io.encryption.enabled", "false")))
        .as("an operator may turn it off").containsEntry("spark.io.encryption.enabled", "false");
  }

  @Test
  void aKeyThatIsNotSparksIsRefusedWithItsSpelling() {
    assertThatThrownBy(() -> SparkSettings.of("local[1]", Map.of(), Map.of("fs.s3a.endpoint", "http://x")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("spark.hadoop.fs.s3a.endpoint");
    assertThatThrownBy(() -> SparkSettings.checked(Map.of("spark.", "x"))).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void yarnWithoutItsConfigurationIsRefusedAtOnce() {
    assertThatThrownBy(() -> SparkSettings.of("yarn", Map.of(), Map.of())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("HADOOP_CONF_DIR");
    assertThat(SparkSettings.of("yarn", Map.of(), Map.of("spark.hadoop.yarn.resourcemanager.address", "rm:8032")))
        .containsEntry("spark.hadoop.yarn.resourcemanager.address", "rm:8032");
  }
}
