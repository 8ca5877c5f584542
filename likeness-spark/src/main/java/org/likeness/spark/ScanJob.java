package org.likeness.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.scan.MediaKind;
import scala.Tuple2;

/**
 * The scan pipeline as a Spark job, run from the driver: media listed under the inputs (any
 * Hadoop file system), told apart and videos probed on the executors, photos batched and videos
 * split into time segments on their sampling grid, every item scanned by the executor's engine,
 * each video's segments stitched into tracks and identified against the broadcast gallery, and
 * the results written as a {@link ScanOutput}. A bad file becomes a failed row with its reason.
 */
public final class ScanJob {
  /** Shortest segment: a track unseen for the tracker's whole gap allowance must not skip a segment. */
  public static final double MIN_SEGMENT_SECONDS = 2;
  /** Media per output file, about: a file holds whole media, sorted, so a reader finds one media's rows by row-group statistics. */
  static final long MEDIA_PER_FILE = 20_000;
  /** The description of the Spark job that reads each media's kind and hash. */
  public static final String CLASSIFY = "likeness: classify media";
  /** The description of the Spark job that scans the media (detection, tracking, identification). */
  public static final String SCAN = "likeness: scan media";
  /** The description of the Spark jobs that write the Parquet output. */
  public static final String WRITE = "likeness: write sightings";
  /**
   * What to scan and how.
   *
   * @param inputs files or folders (paths or URIs)
   * @param out the output folder (must not hold anything yet)
   * @param gallery the gallery to identify against, or null
   * @param fps frames sampled per second of video (0: every frame)
   * @param segmentSeconds length of a video segment, one task each
   * @param photosPerTask photos scanned by one task
   */
  public record Settings(List<String> inputs, String out, EngineSpec engine, GallerySnapshot gallery, double fps,
      double segmentSeconds, int photosPerTask, VideoLimits limits) implements Serializable {
    public Settings {
      inputs = List.copyOf(inputs);
      if (inputs.isEmpty()) {
        throw new InvalidInputException("name at least one input");
      }
      if (!(fps >= 0) || Double.isInfinite(fps)) {
        throw new InvalidInputException("fps must be 0 (every frame) or a positive number of frames per second, not " + fps);
      }
      if (!(segmentSeconds >= MIN_SEGMENT_SECONDS)) {
        throw new InvalidInputException("segments must be at least " + MIN_SEGMENT_SECONDS + " s (longer than the tracker's gap allowance), not "
            + segmentSeconds);
      }
      if (photosPerTask < 1) {
        throw new InvalidInputException("photos per task must be at least 1, not " + photosPerTask);
      }
    }
  }

  /** What a job did: the JSON summary of {@code spark scan}. */
  public record Summary(long media, long sightings, long failed, String output, double seconds, String master) {}

  private final SparkSession spark;

  /** A job run by {@code spark}'s cluster. */
  public ScanJob(SparkSession spark) {
    this.spark = spark;
  }

  /** Runs the job to the end: the output holds every file's result and its manifest; templates and crops plain. */
  public Summary run(Settings s, String packId) throws IOException {
    return run(s, packId, null);
  }

  /**
   * As {@link #run(Settings, String)}, its templates and crops sealed with a key of the job's own,
   * itself sealed in the manifest with {@code installation}, the installation's template key (null:
   * plain, as an installation without a key stores its own).
   */
  public Summary run(Settings s, String packId, org.likeness.gallery.store.TemplateCipher installation) throws IOException {
    OutputSeal seal = installation == null ? null : OutputSeal.create();
    long started = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, String> hadoop = SparkSessions.hadoopSettings(java.util.Arrays.stream(jsc.getConf().getAll())
        .map(t -> Map.entry(t._1(), t._2())).toList());
    Configuration conf = LocalMedia.configuration(hadoop);
    Path out = new Path(s.out());
    FileSystem outFs = out.getFileSystem(conf);
    if (outFs.exists(out) && outFs.listStatus(out).length > 0) {
      throw new InvalidInputException(s.out() + ": the output folder already holds files; name a new one");
    }
    List<MediaRef> refs = list(s.inputs(), conf);
    Broadcast<GallerySnapshot> gallery = s.gallery() == null ? null : jsc.broadcast(s.gallery());
    MediaWork.Context ctx = new MediaWork.Context(s.engine(), gallery, s.fps(), s.limits(), hadoop);

    int parallelism = Math.max(1, jsc.defaultParallelism());
    List<MediaWork.Classified> classified;
    jsc.setJobDescription(CLASSIFY); // named in Spark's UI and to listeners
    try {
      classified = refs.isEmpty() ? List.of()
          : jsc.parallelize(refs, Math.min(refs.size(), parallelism * 4)).map(r -> MediaWork.classify(r, ctx)).collect();
    } finally {
      jsc.setJobDescription(null);
    }
    List<MediaResult> failed = classified.stream().map(MediaWork.Classified::failed).filter(f -> f != null).toList();
    // The same content under two names is scanned once, under its first name (as scan finds it scanned already).
    java.util.Set<String> seen = new java.util.HashSet<>();
    classified = classified.stream().filter(c -> c.failed() != null || c.sha256() == null || seen.add(c.sha256())).toList();

    List<List<MediaWork.Item>> groups = tasks(MediaWork.items(classified, s.fps(), s.segmentSeconds()), s.photosPerTask());
    JavaRDD<MediaWork.Done> done = groups.isEmpty() ? jsc.emptyRDD()
        : jsc.parallelize(groups, groups.size()).flatMap(g -> g.stream().map(i -> MediaWork.run(i, ctx)).iterator());
    done.persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<MediaResult> photos = done.filter(d -> d.photo() != null).map(MediaWork.Done::photo);
    JavaRDD<MediaResult> videos = done.filter(d -> d.piece() != null)
        .mapToPair(d -> new Tuple2<>(d.item().media().sha256() + " " + d.item().media().ref().uri(), d)).groupByKey()
        .map(t -> {
          List<MediaWork.Done> pieces = new ArrayList<>();
          t._2().forEach(pieces::add);
          return MediaWork.finish(pieces, ctx);
        });
    JavaRDD<MediaResult> all = photos.union(videos).union(failed.isEmpty() ? jsc.emptyRDD() : jsc.parallelize(failed, 1));
    all.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      jsc.setJobDescription(SCAN);
      long[] counts = all.map(r -> new long[] {1, r.sightings().size(), r.failed() ? 1 : 0})
          .fold(new long[3], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
      // Few files, each whole media: Parquet's cost per file (about 0.1 s here) made a folder per media 2x
      // slower than the scanning itself (docs/BENCHMARKS.md, "Scale-out on Spark").
      jsc.setJobDescription(WRITE);
      int files = (int) Math.max(1, Math.min(parallelism * 4L, (counts[0] + MEDIA_PER_FILE - 1) / MEDIA_PER_FILE));
      spark.createDataFrame(all.map(ScanOutput::mediaRow), ScanOutput.MEDIA).coalesce(files).write()
          .parquet(new Path(out, "media").toString());
      spark.createDataFrame(all.flatMap(r -> ScanOutput.sightingRows(r, seal).iterator()), ScanOutput.SIGHTINGS)
          .repartition(files, org.apache.spark.sql.functions.col("media")).sortWithinPartitions("media", "number").write()
          .parquet(new Path(out, "sightings").toString());
      ScanOutput.writeManifest(s.out(), conf, new ScanOutput.Manifest(ScanOutput.FORMAT, packId,
          s.gallery() == null ? null : s.gallery().name(), s.gallery() == null ? null : s.gallery().identity(), s.fps(), counts[0], counts[1], counts[2], seal == null ? null : seal.job(),
          seal == null ? null : seal.wrapped(installation)));
      return new Summary(counts[0], counts[1], counts[2], outFs.makeQualified(out).toString(), (System.nanoTime() - started) / 1e9,
          spark.sparkContext().master());
    } finally {
      jsc.setJobDescription(null);
      all.unpersist(false);
      done.unpersist(false);
      if (gallery != null) {
        gallery.destroy();
      }
    }
  }

  /**
   * The files under the inputs, sorted per input (hidden files and folders, and Hadoop's
   * {@code _}-prefixed ones, skipped); an input that does not exist is an error.
   */
  static List<MediaRef> list(List<String> inputs, Configuration conf) throws IOException {
    List<MediaRef> out = new ArrayList<>();
    for (String input : inputs) {
      Path root = new Path(input);
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        throw new InvalidInputException(input + ": no such file or folder");
      }
      FileStatus st = fs.getFileStatus(root);
      String base = fs.makeQualified(root).toString();
      if (st.isFile()) {
        out.add(new MediaRef(base, st.getLen(), true));
        continue;
      }
      List<MediaRef> found = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        String uri = f.getPath().toString();
        String rel = uri.startsWith(base) ? uri.substring(base.length()) : f.getPath().getName();
        boolean hidden = java.util.Arrays.stream(rel.split("/")).anyMatch(p -> p.startsWith(".") || p.startsWith("_"));
        if (f.isFile() && !hidden) {
          found.add(new MediaRef(uri, f.getLen(), false));
        }
      }
      found.sort(Comparator.comparing(MediaRef::uri));
      out.addAll(found);
    }
    return out;
  }

  /** One task per video segment, and photos batched {@code photosPerTask} to a task. */
  static List<List<MediaWork.Item>> tasks(List<MediaWork.Item> items, int photosPerTask) {
    List<List<MediaWork.Item>> out = new ArrayList<>();
    List<MediaWork.Item> batch = new ArrayList<>();
    for (MediaWork.Item i : items) {
      if (i.media().kind() == MediaKind.VIDEO) {
        out.add(List.of(i));
      } else {
        batch.add(i);
        if (batch.size() == photosPerTask) {
          out.add(batch);
          batch = new ArrayList<>();
        }
      }
    }
    if (!batch.isEmpty()) {
      out.add(batch);
    }
    return out;
  }
}
