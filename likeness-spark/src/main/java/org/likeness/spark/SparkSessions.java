package org.likeness.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/** Opens the Spark session a command runs its job in, set up for this program's engine. */
public final class SparkSessions {
  private static final String EXECUTOR_FLAGS = "--enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

  private static final String HADOOP_PREFIX = "spark.hadoop.";

  private SparkSessions() {}

  /** The {@code spark.hadoop.*} entries of Spark settings, without the prefix: what Hadoop's file systems are given. */
  public static Map<String, String> hadoopSettings(Iterable<Map.Entry<String, String>> sparkSettings) {
    Map<String, String> m = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : sparkSettings) {
      if (e.getKey().startsWith(HADOOP_PREFIX)) {
        m.put(e.getKey().substring(HADOOP_PREFIX.length()), e.getValue());
      }
    }
    return m;
  }

  /** A session on {@code master} ({@code local[*]}, {@code spark://host:port}, {@code yarn}). */
  public static SparkSession open(String master) {
    return open(master, Map.of());
  }

  /**
   * A session on {@code master} with the caller's Spark settings over these defaults, as
   * {@code spark-submit --conf} gives them: {@code spark.hadoop.fs.s3a.endpoint} and the like reach
   * the driver's and the executors' Hadoop file systems.
   */
  public static SparkSession open(String master, Map<String, String> settings) {
    SparkSession.Builder b = SparkSession.builder().appName("likeness").master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        // The engine runs native code (ONNX Runtime, FFmpeg); its logging is quieted like the CLI's.
        .config("spark.executor.extraJavaOptions", EXECUTOR_FLAGS);
    boolean loopback = master.startsWith("local") || master.contains("://127.0.0.1") || master.contains("://localhost");
    if (loopback) {
      b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    boolean standaloneHere = master.startsWith("spark://127.0.0.1") || master.startsWith("spark://localhost");
    boolean yarn = master.equals("yarn");
    // Executors run this program's own classes: a cluster on this machine started from its jars
    // (StandaloneCluster) has the jars, YARN is given them below; class folders (a build's
    // target/classes) are in neither and are put on the executors' path here.
    List<Path> own = standaloneHere || yarn ? ClassPath.entries() : List.of();
    if (standaloneHere || yarn) {
      String folders = own.stream().filter(Files::isDirectory).map(Path::toString)
          .collect(Collectors.joining(java.io.File.pathSeparator));
      if (!folders.isEmpty()) {
        b.config("spark.executor.extraClassPath", folders);
      }
    }
    if (standaloneHere) {
      b.config("spark.executor.memory", "2g");
    }
    if (yarn) {
      // Containers on the NodeManagers run this program's jars where they lie here (a path every node
      // has: a shared install), with the JDK and the JVM flags of this one.
      b.config("spark.yarn.jars", own.stream().filter(p -> !Files.isDirectory(p)).map(p -> "local:" + p)
          .collect(Collectors.joining(",")));
      String flags = String.join(" ", StandaloneCluster.JAVA_OPTIONS);
      b.config("spark.yarn.am.extraJavaOptions", flags)
          .config("spark.executor.extraJavaOptions", flags + " " + EXECUTOR_FLAGS)
          .config("spark.yarn.appMasterEnv.JAVA_HOME", System.getProperty("java.home"))
          .config("spark.executorEnv.JAVA_HOME", System.getProperty("java.home"));
    }
    settings.forEach(b::config);
    return b.getOrCreate();
  }
}
