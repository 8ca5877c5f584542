package org.likeness.cli;

import java.util.Map;
import java.util.TreeMap;
import org.likeness.gallery.store.InvalidInputException;

/** The {@code --conf KEY=VALUE} settings a Spark command passes to its session, as {@code spark-submit --conf} does. */
final class SparkSettings {
  static final String HELP = "A Spark setting, repeatable, as spark-submit --conf takes it; spark.hadoop.* reach the file systems "
      + "(e.g. spark.hadoop.fs.s3a.endpoint=URL for an S3 service; credentials better in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).";

  private SparkSettings() {}

  /** The settings, refused unless every key is a Spark one: a misspelt key would otherwise be ignored in silence. */
  static Map<String, String> checked(Map<String, String> conf) {
    for (String key : conf.keySet()) {
      if (!key.startsWith("spark.") || key.length() == "spark.".length()) {
        throw new InvalidInputException("--conf " + key + ": not a Spark setting (they start with 'spark.'; a Hadoop one is "
            + "spark.hadoop." + key + ")");
      }
    }
    return new TreeMap<>(conf);
  }
}
