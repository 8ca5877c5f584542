package org.likeness.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Spark's own standalone cluster on this machine's loopback interface, started from this
 * program's jars (no Spark installation): one Master and N Workers as separate JVMs, which outlive
 * the command that started them. Its state (URLs, process ids, logs, the workers' folders) lives in
 * one folder; {@link #stop} ends what {@link #start} began.
 */
public final class StandaloneCluster {
  /**
   * The JVM flags Spark needs on JDK 17+ (what Spark's own launcher adds), from the list the
   * launcher script and the tests' JVM read too ({@code jvm-options} beside this class).
   */
  public static final List<String> JAVA_OPTIONS = javaOptions();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A running cluster: its master's URL, its web UI, and the processes that make it. */
  public record Running(String master, String webUi, List<Long> pids, Path dir) {}

  private final Path dir;

  /** A cluster whose state lives in {@code dir}. */
  public StandaloneCluster(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The cluster described in this folder, if its master still runs. */
  public Optional<Running> running() throws IOException {
    Path state = dir.resolve("cluster.json");
    if (!Files.isRegularFile(state)) {
      return Optional.empty();
    }
    JsonNode n = JSON.readTree(state.toFile());
    List<Long> pids = new ArrayList<>();
    n.path("pids").forEach(p -> pids.add(p.asLong()));
    if (pids.isEmpty() || ProcessHandle.of(pids.getFirst()).map(ProcessHandle::isAlive).orElse(false) == false) {
      return Optional.empty();
    }
    return Optional.of(new Running(n.path("master").asText(), n.path("webUi").asText(), pids, dir));
  }

  /**
   * Starts a Master and {@code workers} Workers of {@code cores} cores and {@code memory} each
   * (Spark's notation, "2g"), waits until every worker has registered, and returns the cluster.
   * A cluster already running from this folder is returned as it is.
   */
  public Running start(int workers, int cores, String memory) throws IOException, InterruptedException {
    if (workers < 1 || cores < 1) {
      throw new IllegalArgumentException("a cluster needs at least one worker of one core");
    }
    Optional<Running> already = running();
    if (already.isPresent()) {
      return already.get();
    }
    Path home = sparkHome();
    int port = freePort(), ui = freePort();
    String master = "spark://127.0.0.1:" + port;
    List<Long> pids = new ArrayList<>();
    pids.add(launch("master", home, List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--webui-port", Integer.toString(ui))));
    for (int i = 1; i <= workers; i++) {
      Path work = Files.createDirectories(dir.resolve("work-" + i));
      pids.add(launch("worker-" + i, home, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--webui-port",
          Integer.toString(freePort()), "--cores", Integer.toString(cores), "--memory", memory, "--work-dir", work.toString(), master)));
    }
    Running r = new Running(master, "http://127.0.0.1:" + ui, pids, dir);
    ObjectNode n = JSON.createObjectNode();
    n.put("master", master);
    n.put("webUi", r.webUi());
    pids.forEach(n.putArray("pids")::add);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("cluster.json").toFile(), n);
    awaitWorkers(r, workers);
    return r;
  }

  /** Stops the cluster's processes (and the executors they started); true when there was one. */
  public boolean stop() throws IOException {
    Path state = dir.resolve("cluster.json");
    if (!Files.isRegularFile(state)) {
      return false;
    }
    List<ProcessHandle> all = new ArrayList<>();
    for (JsonNode p : JSON.readTree(state.toFile()).path("pids")) {
      ProcessHandle.of(p.asLong()).ifPresent(h -> {
        h.descendants().forEach(all::add);
        all.add(h);
      });
    }
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    Files.delete(state);
    return true;
  }

  /** A folder laid out as Spark's distribution (its {@code jars/}), linking this program's jars: what Workers start executors from. */
  private Path sparkHome() throws IOException {
    Path jars = dir.resolve("home").resolve("jars");
    if (Files.isDirectory(jars)) {
      try (var old = Files.list(jars)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(jars);
    for (Path p : ClassPath.entries()) {
      if (p.toString().endsWith(".jar")) {
        Path link = jars.resolve(p.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p);
        }
      }
    }
    return jars.getParent();
  }

  private static List<String> javaOptions() {
    try (java.io.InputStream in = StandaloneCluster.class.getResourceAsStream("jvm-options")) {
      if (in == null) {
        throw new IllegalStateException("jvm-options is missing from the likeness-spark jar");
      }
      List<String> options = new ArrayList<>(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty()).toList());
      options.add("--enable-native-access=ALL-UNNAMED");
      return List.copyOf(options);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private long launch(String name, Path home, List<String> main) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(JAVA_OPTIONS);
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(home.resolve("jars") + "/*");
    cmd.addAll(main);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // else the Worker looks for a source build's folders
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return pb.start().pid();
  }

  private static void awaitWorkers(Running r, int workers) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        var res = http.send(HttpRequest.newBuilder(URI.create(r.webUi() + "/json/")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        int alive = 0;
        for (JsonNode w : JSON.readTree(res.body()).path("workers")) {
          alive += "ALIVE".equals(w.path("state").asText()) ? 1 : 0;
        }
        if (alive >= workers) {
          return;
        }
        last = alive + " of " + workers + " workers alive";
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(300);
    }
    throw new IOException("the cluster in " + r.dir() + " did not come up in 90 s (" + last + "); see the logs there");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
