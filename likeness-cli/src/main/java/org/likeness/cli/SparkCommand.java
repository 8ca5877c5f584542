package org.likeness.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.PackMismatchException;
import org.likeness.spark.EngineSpec;
import org.likeness.spark.GallerySnapshot;
import org.likeness.spark.ScanImport;
import org.likeness.spark.ScanJob;
import org.likeness.spark.SparkSessions;
import org.likeness.spark.StandaloneCluster;
import org.likeness.video.decode.VideoLimits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness spark scan|cluster}: the scan pipeline on Apache Spark, and a standalone cluster on this machine. */
@Command(name = "spark", mixinStandardHelpOptions = true, description = "Scan on an Apache Spark cluster; start or stop a local one.")
final class SparkCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** {@code spark scan INPUT... --out DIR [--gallery G] [--master URL] [--fps N] [--no-import] --json}. */
  @Command(name = "scan", mixinStandardHelpOptions = true,
      description = "Scan photos and videos (paths or URIs: file://, hdfs://, s3a://) on Spark; write Parquet to --out, then import it as scans.")
  static final class Scan implements Callable<Integer> {
    private final Map<String, String> env;
    @Parameters(arity = "1..*", paramLabel = "INPUT") List<String> inputs;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (new), any Hadoop file system.") String out;
    @Option(names = "--gallery", paramLabel = "G", description = "Identify against this gallery (broadcast to the executors).") String gallery;
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: ${DEFAULT-VALUE}).") String master = "local[*]";
    @Option(names = "--fps", paramLabel = "N", description = "Video frames sampled per second, 0 for every frame (default: ${DEFAULT-VALUE}).")
    double fps = 5;
    @Option(names = "--segment-seconds", paramLabel = "S", description = "Length of a video segment, one task each (default: ${DEFAULT-VALUE}).")
    double segmentSeconds = 60;
    @Option(names = "--photos-per-task", paramLabel = "N", description = "Photos scanned by one task (default: ${DEFAULT-VALUE}).")
    int photosPerTask = 16;
    @Option(names = "--top", paramLabel = "K", description = "Candidates per face or track (default: ${DEFAULT-VALUE}).") int top = 5;
    @Option(names = "--fmr", paramLabel = "RATE", description = "Decision threshold as a false-match rate per comparison (instead of --fpir).")
    Double fmr;
    @Option(names = "--fpir", paramLabel = "RATE", description = "Target false-positive identification rate per face or track (default: 0.01).")
    Double fpir;
    @Option(names = "--pack", paramLabel = "ID|DIR", description = "Model pack (default: ${DEFAULT-VALUE}).") String pack = ModelCache.DEFAULT_PACK;
    @Option(names = "--min-face", paramLabel = "PX", description = "Smallest face width searched for (default: ${DEFAULT-VALUE}).")
    double minFace = 40;
    @Option(names = "--ship-models", description = "Ship the model pack with the job (else every executor reads it at the driver's path).")
    boolean shipModels;
    @Option(names = "--no-import", description = "Leave the output in --out without importing it as scans.") boolean noImport;
    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = SparkSettings.HELP) Map<String, String> conf = Map.of();
    @Option(names = "--json", description = "Print JSON on stdout.") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Scan(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      ModelPack p = ModelCache.fromEnvironment(env).open(pack);
      // The rule is checked here, where a bad --fmr is a clear error, not a failed task.
      MatchPolicy.of(fmr, fpir, SearchMethod.AUTO, Aggregation.MAX, p.recognizer().verifier(),
          p.id());
      GallerySnapshot snapshot = null;
      if (gallery != null) {
        try (var store = Home.store(env)) {
          snapshot = GallerySnapshot.read(store, gallery, fmr, fpir, SearchMethod.AUTO, top);
        }
        if (!snapshot.packId().equals(p.id())) {
          throw new PackMismatchException("gallery '" + gallery + "' holds templates of pack " + snapshot.packId() + "; this job runs pack "
              + p.id() + " (use --pack " + snapshot.packId() + ")");
        }
      }
      SparkSession spark = SparkSessions.open(master, SparkSettings.of(master, env, conf));
      try {
        EngineSpec engine = shipModels
            ? EngineSpec.shipped(spark.sparkContext(), p.dir(), java.nio.file.Path.of(System.getProperty("java.io.tmpdir")), minFace, null)
            : EngineSpec.of(p.dir(), false, minFace, null);
        ScanJob.Settings settings = new ScanJob.Settings(inputs, out, engine, snapshot, fps, segmentSeconds, photosPerTask,
            VideoLimits.DEFAULT);
        var cipher = org.likeness.gallery.store.TemplateCipher.fromEnvironment(env).orElse(null); // the output as sealed as the installation
        ScanJob.Summary s = new ScanJob(spark).run(settings, p.id(), cipher);
        ScanImport.Result imported = null;
        if (!noImport) {
          try (LocalGalleries local = LocalGalleries.open(env, null)) {
            imported = new ScanImport(local.store(), local.audit(), cipher).run(spark, out, gallery, LocalGalleries.actor(),
                scan -> ScansCommand.Import.forgetVanished(local, LocalGalleries.actor(), scan));
          }
        }
        print(s, imported);
        return 0;
      } finally {
        spark.stop();
      }
    }

    private void print(ScanJob.Summary s, ScanImport.Result imported) {
      var o = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("media", s.media());
        m.put("sightings", s.sightings());
        m.put("failed", s.failed());
        m.put("output", s.output());
        m.put("seconds", Math.round(s.seconds() * 10) / 10.0);
        m.put("master", s.master());
        if (imported != null) {
          m.put("imported", ScansCommand.Import.shape(imported));
        }
        o.println(new Json().write(m));
        return;
      }
      o.printf(java.util.Locale.ROOT, "%d media (%d failed), %d faces and tracks, in %.1f s on %s%n", s.media(), s.failed(), s.sightings(),
          s.seconds(), s.master());
      o.println("output: " + s.output());
      if (imported != null) {
        o.printf("imported: %d scans stored, %d already there, %d failed%n", imported.stored(), imported.skipped(), imported.failed());
      }
    }
  }

  /** {@code spark cluster start|stop}. */
  @Command(name = "cluster", mixinStandardHelpOptions = true,
      description = "Start or stop Spark's standalone Master and Workers on 127.0.0.1, from this program's jars.")
  static final class Cluster implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getErr());
    }

    static StandaloneCluster of(Map<String, String> env) {
      return new StandaloneCluster(Home.of(env).resolve("spark-cluster"));
    }

    /** {@code spark cluster start [--workers N]}: the master URL is the last line printed. */
    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a Master and N Workers; print the master URL last.")
    static final class Start implements Callable<Integer> {
      private final Map<String, String> env;
      @Option(names = "--workers", paramLabel = "N", description = "Workers (default: ${DEFAULT-VALUE}).") int workers = 2;
      @Option(names = "--cores", paramLabel = "C", description = "Cores per worker (default: ${DEFAULT-VALUE}).") int cores = 1;
      @Option(names = "--memory", paramLabel = "M", description = "Memory per worker, Spark's notation (default: ${DEFAULT-VALUE}).")
      String memory = "3g";
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      Start(Map<String, String> env) {
        this.env = env;
      }

      @Override
      public Integer call() throws Exception {
        if (workers < 1 || cores < 1) {
          throw new InvalidInputException("a cluster needs at least one worker of one core");
        }
        StandaloneCluster.Running r = of(env).start(workers, cores, memory);
        var o = spec.commandLine().getOut();
        o.println("web UI: " + r.webUi() + " (logs in " + r.dir() + ")");
        o.println(r.master());
        return 0;
      }
    }

    /** {@code spark cluster stop}. */
    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the Master and Workers started by 'spark cluster start'.")
    static final class Stop implements Callable<Integer> {
      private final Map<String, String> env;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      Stop(Map<String, String> env) {
        this.env = env;
      }

      @Override
      public Integer call() throws Exception {
        boolean stopped = of(env).stop();
        spec.commandLine().getOut().println(stopped ? "stopped" : "no cluster was running");
        return 0;
      }
    }
  }
}
