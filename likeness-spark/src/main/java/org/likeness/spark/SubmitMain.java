package org.likeness.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.Database;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.Storage;
import org.likeness.gallery.store.TemplateCipher;
import org.likeness.video.decode.VideoLimits;

/**
 * The job jar's entry point for {@code spark-submit} (Spark provided by the cluster): scans and
 * writes the output, which {@code likeness scans import DIR --gallery G} brings home.
 *
 * <pre>
 * spark-submit --class org.likeness.spark.SubmitMain likeness-spark-job.jar \
 *     --out DIR --pack DIR [--home DIR | --database URL] [--gallery G] [--fps N] [--segment-seconds S] [--photos-per-task N]
 *     [--fpir R | --fmr R] [--top K] [--min-face PX] [--ship-models] INPUT...
 * </pre>
 */
public final class SubmitMain {
  private SubmitMain() {}

  public static void main(String[] args) throws Exception {
    List<String> inputs = new ArrayList<>();
    String out = null, pack = null, home = null, database = null, gallery = null;
    double fps = 5, segment = 60, minFace = 40;
    int perTask = 16, top = 5;
    Double fmr = null, fpir = null;
    boolean ship = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--out" -> out = args[++i];
        case "--pack" -> pack = args[++i];
        case "--home" -> home = args[++i];
        case "--database" -> database = args[++i];
        case "--gallery" -> gallery = args[++i];
        case "--fps" -> fps = Double.parseDouble(args[++i]);
        case "--segment-seconds" -> segment = Double.parseDouble(args[++i]);
        case "--photos-per-task" -> perTask = Integer.parseInt(args[++i]);
        case "--min-face" -> minFace = Double.parseDouble(args[++i]);
        case "--top" -> top = Integer.parseInt(args[++i]);
        case "--fmr" -> fmr = Double.valueOf(args[++i]);
        case "--fpir" -> fpir = Double.valueOf(args[++i]);
        case "--ship-models" -> ship = true;
        default -> {
          if (a.startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + a);
          }
          inputs.add(a);
        }
      }
    }
    if (out == null || pack == null) {
      throw new IllegalArgumentException("--out DIR and --pack DIR are required");
    }
    if ((gallery == null) != (home == null && database == null)) {
      throw new IllegalArgumentException("--gallery needs --home (the folder holding the gallery's store) or --database URL, and they a --gallery");
    }
    ModelPack p = new ModelCache(Path.of(pack).toAbsolutePath().getParent()).open(Path.of(pack).toAbsolutePath().toString());
    GallerySnapshot snapshot = null;
    if (gallery != null) {
      Storage storage = database != null ? new Storage(Database.of(database), Path.of("index"), Path.of("media")) : Storage.local(Path.of(home));
      try (GalleryStore store = GalleryStore.open(storage, TemplateCipher.fromEnvironment(System.getenv()).orElse(null))) {
        snapshot = GallerySnapshot.read(store, gallery, fmr, fpir, SearchMethod.AUTO, top);
      }
    }
    SparkSession spark = SparkSession.builder().appName("likeness").getOrCreate();
    try {
      EngineSpec engine = ship ? EngineSpec.shipped(spark.sparkContext(), p.dir(), Path.of(System.getProperty("java.io.tmpdir")), minFace, null)
          : EngineSpec.of(p.dir(), false, minFace, null);
      ScanJob.Summary s = new ScanJob(spark).run(new ScanJob.Settings(inputs, out, engine, snapshot,
          fps, segment, perTask, VideoLimits.DEFAULT), p.id(), TemplateCipher.fromEnvironment(System.getenv()).orElse(null));
      System.out.printf(java.util.Locale.ROOT, "{\"media\":%d,\"sightings\":%d,\"failed\":%d,\"output\":\"%s\",\"seconds\":%.1f,\"master\":\"%s\"}%n",
          s.media(), s.sightings(), s.failed(), s.output().replace("\"", "\\\""), s.seconds(), s.master());
    } finally {
      spark.stop();
    }
  }
}
