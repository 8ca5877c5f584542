package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.likeness.gallery.store.InvalidInputException;

/** The {@code --conf KEY=VALUE} settings a Spark command passes to its session, as {@code spark-submit --conf} does. */
final class SparkSettings {
  static final String HELP = "A Spark setting, repeatable, as spark-submit --conf takes it; spark.hadoop.* reach the file systems "
      + "(e.g. spark.hadoop.fs.s3a.endpoint=URL for an S3 service; credentials better in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).";

  private SparkSettings() {}

  /**
   * What a session is given: the Hadoop configuration folder's settings ({@code HADOOP_CONF_DIR}, else
   * {@code YARN_CONF_DIR}: its core, hdfs and yarn site files, as {@code spark.hadoop.*}, which is how
   * {@code --master yarn} finds its ResourceManager and {@code hdfs:///} its NameNode; Spark's own
   * launcher puts the folder on the class path instead), then {@code conf} over them; local disk I/O
   * encryption is on unless {@code conf} turns it off.
   */
  static Map<String, String> of(String master, Map<String, String> env, Map<String, String> conf) {
    Map<String, String> out = new TreeMap<>();
    // Templates travel in the broadcast gallery and the scanned sightings: what Spark writes of them to
    // the workers' disks (broadcast, shuffle and spill blocks) is encrypted with a key of the job's own.
    out.put("spark.io.encryption.enabled", "true");
    String dir = env.getOrDefault("HADOOP_CONF_DIR", env.get("YARN_CONF_DIR"));
    if (master.equals("yarn") && (dir == null || dir.isBlank()) && !conf.containsKey("spark.hadoop.yarn.resourcemanager.address")) {
      // as spark-submit refuses it: else the YARN client retries 0.0.0.0:8032 for many minutes
      throw new InvalidInputException("--master yarn needs HADOOP_CONF_DIR (or YARN_CONF_DIR): the folder with the cluster's yarn-site.xml");
    }
    if (dir != null && !dir.isBlank()) {
      Configuration site = new Configuration(false);
      for (String f : new String[] {"core-site.xml", "hdfs-site.xml", "yarn-site.xml"}) {
        Path p = Path.of(dir, f);
        if (Files.isRegularFile(p)) {
          site.addResource(new org.apache.hadoop.fs.Path(p.toUri()));
        }
      }
      site.forEach(e -> out.put("spark.hadoop." + e.getKey(), e.getValue()));
    }
    out.putAll(checked(conf));
    return out;
  }

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
