package org.likeness.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.model.ModelPackException;
import org.likeness.gallery.store.ConflictException;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.NotFoundException;
import org.likeness.gallery.store.PackMismatchException;
import org.likeness.gallery.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code likeness} command: wires the sub-commands explicitly. */
@Command(name = "likeness", mixinStandardHelpOptions = true, version = "likeness 0.1.0",
    description = "Face detection, verification and evaluation on ONNX models.")
public final class Main implements Runnable {
  /** Exit code for bad input (unreadable image, no face). */
  public static final int EXIT_INPUT = 1;
  /** Exit code for a missing or corrupt model pack. */
  public static final int EXIT_MODELS = 3;
  /** Exit code for a failure of the database or its files (corrupt, locked, encrypted without a key). */
  public static final int EXIT_STORE = 5;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * The exit code of a failure, by its type (never by its message), or -1 for a bug, which picocli
   * reports with its stack trace. Not found, conflicts, pack mismatches and malformed input are the
   * user's input (1); the database or its files failing is 5 (4 is audit verify's broken chain).
   */
  static int exitCode(Exception ex) {
    return switch (ex) {
      case ModelPackException e -> EXIT_MODELS;
      case ImageDecodeException e -> EXIT_INPUT;
      case InputException e -> EXIT_INPUT;
      case NotFoundException e -> EXIT_INPUT;
      case ConflictException e -> EXIT_INPUT;
      case PackMismatchException e -> EXIT_INPUT;
      case InvalidInputException e -> EXIT_INPUT;
      case StoreException e -> EXIT_STORE;
      default -> -1;
    };
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  public static void main(String[] args) {
    // Lucene announces its SIMD provider through java.util.logging at INFO; keep stderr for our messages.
    java.util.logging.Logger lucene = java.util.logging.Logger.getLogger("org.apache.lucene");
    lucene.setLevel(java.util.logging.Level.WARNING);
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv());
    java.lang.ref.Reference.reachabilityFence(lucene); // JUL keeps loggers weakly: hold the level until the end
    System.exit(code);
  }

  /** Runs the command line with the given streams and environment; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    // --database URL, anywhere on the line, is the one option every command shares: it stands for
    // LIKENESS_DATABASE_URL, so it is taken out here and handed to the commands with the environment.
    java.util.List<String> rest = new java.util.ArrayList<>();
    Map<String, String> environment = env;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        rest.addAll(java.util.List.of(args).subList(i, args.length));
        break;
      }
      String url = a.startsWith("--database=") ? a.substring("--database=".length()) : null;
      if (a.equals("--database")) {
        if (i + 1 >= args.length) {
          err.println("likeness: --database needs a JDBC URL (jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB?user=…)");
          err.flush();
          return 2;
        }
        url = args[++i];
      }
      if (url != null) {
        environment = new java.util.HashMap<>(environment);
        environment.put(org.likeness.gallery.store.Storage.DATABASE_URL, url);
      } else {
        rest.add(a);
      }
    }
    return dispatch(rest.toArray(String[]::new), out, err, environment);
  }

  private static int dispatch(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand("detect", new DetectCommand(env));
    cli.addSubcommand("verify", new VerifyCommand(env));
    cli.addSubcommand("embed", new EmbedCommand(env));
    cli.addSubcommand("packs", new PacksCommand(env));
    CommandLine eval = new CommandLine(new EvalCommand());
    eval.addSubcommand("pairs", new EvalPairsCommand(env));
    eval.addSubcommand("identify", new EvalIdentifyCommand(env));
    eval.addSubcommand("calibrate", new EvalCalibrateCommand(env));
    eval.addSubcommand("detect", new EvalDetectCommand(env));
    eval.addSubcommand("tracks", new EvalTracksCommand(env));
    eval.addSubcommand("tracking", new EvalTrackingCommand(env));
    eval.addSubcommand("scenes", new EvalScenesCommand(env));
    eval.addSubcommand("cluster", new EvalClusterCommand(env));
    eval.addSubcommand("openset", new EvalOpenSetCommand(env));
    eval.addSubcommand("degrade", new EvalDegradeCommand(env));
    cli.addSubcommand("eval", eval);
    CommandLine bench = new CommandLine(new BenchCommand(env));
    bench.addSubcommand("search", new BenchSearchCommand());
    bench.addSubcommand("load", new BenchLoadCommand());
    bench.addSubcommand("shared", new BenchSharedCommand(env));
    bench.addSubcommand("video", new BenchVideoCommand(env));
    bench.addSubcommand("clusters", new BenchClustersCommand());
    bench.addSubcommand("page", new BenchPageCommand(env));
    bench.addSubcommand("spark-search", new BenchSparkSearchCommand());
    bench.addSubcommand("spark-gallery", new BenchSparkGalleryCommand(env));
    cli.addSubcommand("bench", bench);
    CommandLine gallery = new CommandLine(new GalleryCommand());
    gallery.addSubcommand("create", new GalleryCommand.Create(env));
    gallery.addSubcommand("list", new GalleryCommand.ListGalleries(env));
    gallery.addSubcommand("stats", new GalleryCommand.Stats(env));
    gallery.addSubcommand("settings", new GalleryCommand.Settings(env));
    gallery.addSubcommand("export", new GalleryCommand.Export(env));
    gallery.addSubcommand("import", new GalleryCommand.Import(env));
    cli.addSubcommand("gallery", gallery);
    cli.addSubcommand("enroll", new EnrollCommand(env));
    cli.addSubcommand("identify", new IdentifyCommand(env));
    cli.addSubcommand("scan", new ScanCommand(env));
    CommandLine spark = new CommandLine(new SparkCommand());
    spark.addSubcommand("scan", new SparkCommand.Scan(env));
    CommandLine cluster = new CommandLine(new SparkCommand.Cluster());
    cluster.addSubcommand("start", new SparkCommand.Cluster.Start(env));
    cluster.addSubcommand("stop", new SparkCommand.Cluster.Stop(env));
    spark.addSubcommand("cluster", cluster);
    cli.addSubcommand("spark", spark);
    cli.addSubcommand("rescan", new ScansCommand.Rescan(env));
    CommandLine scans = new CommandLine(new ScansCommand());
    scans.addSubcommand("list", new ScansCommand.ListScans(env));
    scans.addSubcommand("show", new ScansCommand.Show(env));
    scans.addSubcommand("review", new ScansCommand.Review(env));
    scans.addSubcommand("import", new ScansCommand.Import(env));
    scans.addSubcommand("export", new ScansCommand.Export(env));
    scans.addSubcommand("delete", new ScansCommand.Delete(env));
    cli.addSubcommand("scans", scans);
    cli.addSubcommand("appearances", new AppearancesCommand(env));
    CommandLine report = new CommandLine(new ReportCommand(env));
    report.addSubcommand("verify", new ReportCommand.Verify(env));
    cli.addSubcommand("report", report);
    CommandLine clusters = new CommandLine(new ClustersCommand());
    clusters.addSubcommand("list", new ClustersCommand.ListClusters(env));
    clusters.addSubcommand("show", new ClustersCommand.Show(env));
    clusters.addSubcommand("name", new ClustersCommand.Name(env));
    clusters.addSubcommand("merge", new ClustersCommand.Merge(env));
    clusters.addSubcommand("split", new ClustersCommand.Split(env));
    clusters.addSubcommand("remove-face", new ClustersCommand.RemoveFace(env));
    clusters.addSubcommand("reject", new ClustersCommand.Reject(env));
    clusters.addSubcommand("undo", new ClustersCommand.Undo(env));
    clusters.addSubcommand("update", new ClustersCommand.Update(env));
    clusters.addSubcommand("rebuild", new ClustersCommand.Rebuild(env));
    clusters.addSubcommand("suggest", new ClustersCommand.Suggest(env));
    cli.addSubcommand("clusters", clusters);
    CommandLine subjects = new CommandLine(new SubjectsCommand());
    subjects.addSubcommand("list", new SubjectsCommand.ListSubjects(env));
    subjects.addSubcommand("show", new SubjectsCommand.Show(env));
    subjects.addSubcommand("rename", new SubjectsCommand.Rename(env));
    subjects.addSubcommand("merge", new SubjectsCommand.Merge(env));
    subjects.addSubcommand("move-face", new SubjectsCommand.MoveFace(env));
    subjects.addSubcommand("delete", new SubjectsCommand.Delete(env));
    subjects.addSubcommand("check", new SubjectsCommand.Check(env));
    subjects.addSubcommand("confirm-face", new SubjectsCommand.ConfirmFace(env));
    cli.addSubcommand("subjects", subjects);
    CommandLine video = new CommandLine(new VideoCommand());
    video.addSubcommand("scan", new VideoCommand.Scan(env));
    cli.addSubcommand("video", video);
    cli.addSubcommand("serve", new ServeCommand(env));
    CommandLine keys = new CommandLine(new KeysCommand());
    keys.addSubcommand("create", new KeysCommand.Create(env));
    keys.addSubcommand("list", new KeysCommand.ListKeys(env));
    keys.addSubcommand("revoke", new KeysCommand.Revoke(env));
    cli.addSubcommand("keys", keys);
    CommandLine audit = new CommandLine(new AuditCommand());
    audit.addSubcommand("verify", new AuditCommand.Verify(env));
    audit.addSubcommand("export", new AuditCommand.Export(env));
    cli.addSubcommand("audit", audit);
    CommandLine db = new CommandLine(new DbCommand());
    db.addSubcommand("copy", new DbCommand.Copy());
    db.addSubcommand("rotate-key", new DbCommand.RotateKey(env));
    cli.addSubcommand("db", db);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      int code = exitCode(ex);
      if (code < 0) {
        throw ex;
      }
      err.println("likeness: " + ex.getMessage());
      return code;
    });
    return cli.execute(args);
  }
}
