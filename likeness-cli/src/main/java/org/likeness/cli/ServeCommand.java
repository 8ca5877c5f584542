package org.likeness.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.server.LikenessServer;
import org.likeness.server.ServerConfig;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.server.auth.KeyStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code likeness serve [--port P]}: the REST API (docs at /v1/openapi.json). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the REST API (X-API-Key; see /v1/openapi.json).")
final class ServeCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 for any free one).")
  int port = 8080;

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Where the pages read footage a Spark job scanned on HDFS or "
      + "S3: spark.hadoop.* settings as spark scan takes them (HADOOP_CONF_DIR's site files are read too). " + "Repeatable.")
  Map<String, String> conf = Map.of();

  @Option(names = "--job-lease", paramLabel = "SECONDS", description = "How long this server's claim on a video job holds "
      + "between renewals; a job of a server that died passes to another this long after (default: ${DEFAULT-VALUE}).")
  int jobLease = 30;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  ServeCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    var storage = Home.storage(env);
    try (GalleryStore store = Home.store(env); KeyStore keys = Home.keys(env);
        AuditLog audit = Home.audit(env);
        FaceEngine engine = engineArgs.open(env);
        LikenessServer server = new LikenessServer(engine, store, keys, audit,
            ServerConfig.defaults().withJobLease(java.time.Duration.ofSeconds(Math.max(1, jobLease))),
            new HadoopMedia(SparkSettings.of("local", env, conf)))) { // footage a Spark job scanned on HDFS or S3 plays in the pages
      int bound = server.start(host, port);
      spec.commandLine().getErr().println("likeness: serving http://" + host + ":" + bound + "/v1/ (database " + storage.database()
          + ", media in " + storage.media() + ")");
      if (!storage.database().erasesDeleted() && store.mediaSealer().isEmpty()) {
        // a database that cannot overwrite what it deletes (PostgreSQL): only sealing makes deleted biometrics unreadable there
        spec.commandLine().getErr().println("likeness: warning: no template key (LIKENESS_TEMPLATE_KEY_FILE): templates, crops and "
            + "footage go to PostgreSQL and the media folder unsealed, and deleted ones stay readable in its data files, WAL and "
            + "backups; see docs/DEPLOYMENT.md, \"Deletion on PostgreSQL\"");
      }
      spec.commandLine().getErr().flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
      return 0;
    }
  }
}
