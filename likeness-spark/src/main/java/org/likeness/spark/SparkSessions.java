package org.likeness.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/** Opens the Spark session a command runs its job in, set up for this program's engine. */
public final class SparkSessions {
  private SparkSessions() {}

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
        .config("spark.executor.extraJavaOptions", "--enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    boolean loopback = master.startsWith("local") || master.contains("://127.0.0.1") || master.contains("://localhost");
    if (loopback) {
      b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    if (master.startsWith("spark://127.0.0.1") || master.startsWith("spark://localhost")) {
      // A cluster on this machine started from this program's jars (StandaloneCluster) has them all; class
      // folders (a build's target/classes) are not in its jars/ and are put on the executors' path here.
      String folders = ClassPath.entries().stream().filter(Files::isDirectory).map(Path::toString)
          .collect(Collectors.joining(java.io.File.pathSeparator));
      if (!folders.isEmpty()) {
        b.config("spark.executor.extraClassPath", folders);
      }
      b.config("spark.executor.memory", "2g");
    }
    if (master.equals("yarn")) {
      // Containers on the NodeManagers run this program's jars where they lie here (a path every node
      // has: a shared install), with the JDK and the JVM flags of this one.
      List<Path> entries = ClassPath.entries();
      b.config("spark.yarn.jars", entries.stream().filter(p -> !Files.isDirectory(p)).map(p -> "local:" + p)
          .collect(Collectors.joining(",")));
      String folders = entries.stream().filter(Files::isDirectory).map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
      if (!folders.isEmpty()) {
        b.config("spark.executor.extraClassPath", folders);
      }
      String flags = String.join(" ", StandaloneCluster.JAVA_OPTIONS);
      b.config("spark.yarn.am.extraJavaOptions", flags)
          .config("spark.executor.extraJavaOptions", flags + " -Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
          .config("spark.yarn.appMasterEnv.JAVA_HOME", System.getProperty("java.home"))
          .config("spark.executorEnv.JAVA_HOME", System.getProperty("java.home"));
    }
    settings.forEach(b::config);
    return b.getOrCreate();
  }
}
