package org.likeness.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.likeness.engine.geom.Box;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredSighting;

/**
 * A job's output, format {@value #FORMAT}: {@code media/} (Parquet, one row per file: what it is,
 * how it was sampled, or why it failed), {@code sightings/} (Parquet partitioned by {@code media},
 * the content's sha256, into a few files: every row of one media in one file, sorted by media and
 * number; one row per face or track with its box, quality, template, best crop and decision; the
 * template and crop sealed where the installation seals its own, {@link OutputSeal}) and
 * {@code _likeness.json} (format, pack, gallery, counts, and the sealed job key), written last: an
 * output without it is a job that did not finish.
 */
public final class ScanOutput {
  /** The layout's version: 2 added the sealed columns and the manifest's job and key; an import reads 1 and 2, refuses others. */
  public static final int FORMAT = 2;
  /** The manifest's name in the output folder. */
  public static final String MANIFEST = "_likeness.json";

  /** One row per media file. */
  public static final StructType MEDIA = new StructType(new StructField[] {
      field("sha256", DataTypes.StringType), field("uri", DataTypes.StringType), field("kind", DataTypes.StringType),
      field("bytes", DataTypes.LongType), field("duration", DataTypes.DoubleType), field("fps", DataTypes.DoubleType),
      field("width", DataTypes.IntegerType), field("height", DataTypes.IntegerType), field("sampled_fps", DataTypes.DoubleType),
      field("sampled_frames", DataTypes.IntegerType), field("error", DataTypes.StringType), field("failed", DataTypes.BooleanType)});

  /** One row per face of a photo or track of a video; {@code media} (the content's sha256) is what files are partitioned by. */
  public static final StructType SIGHTINGS = new StructType(new StructField[] {
      field("media", DataTypes.StringType), field("uri", DataTypes.StringType), field("kind", DataTypes.StringType),
      field("number", DataTypes.IntegerType), field("start", DataTypes.DoubleType), field("end", DataTypes.DoubleType),
      field("samples", DataTypes.IntegerType), field("time", DataTypes.DoubleType), field("box_x", DataTypes.DoubleType),
      field("box_y", DataTypes.DoubleType), field("box_w", DataTypes.DoubleType), field("box_h", DataTypes.DoubleType),
      field("quality", DataTypes.StringType), field("boxes", DataTypes.StringType),
      field("template", DataTypes.createArrayType(DataTypes.FloatType, false)), field("crop", DataTypes.BinaryType),
      field("decision", DataTypes.StringType), field("link", DataTypes.IntegerType),
      // format 2, where the installation seals its templates: these instead of template and crop (OutputSeal)
      field("template_sealed", DataTypes.BinaryType), field("crop_sealed", DataTypes.BinaryType)});

  private static final ObjectMapper JSON = new ObjectMapper();

  private ScanOutput() {}

  private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  /** A media file's row. */
  static Row mediaRow(MediaResult r) {
    ScanStore.NewMedia m = r.media();
    return RowFactory.create(m == null ? null : m.sha256(), r.uri(), r.kind(), m == null ? null : m.bytes(),
        m == null ? null : m.durationSeconds(), m == null ? null : m.fps(), m == null ? null : m.width(), m == null ? null : m.height(),
        r.sampledFps(), r.sampledFrames(), r.error(), r.failed());
  }

  /** A result's sighting rows (none for a failed file); templates and crops sealed by {@code seal} (null: plain). */
  static List<Row> sightingRows(MediaResult r, OutputSeal seal) {
    List<Row> out = new ArrayList<>();
    if (r.failed()) {
      return out;
    }
    for (StoredSighting.New s : r.sightings()) {
      Double time = s.bestTime();
      String sha = r.media().sha256();
      byte[] template = seal == null ? null : seal.seal(org.likeness.gallery.store.Templates.encode(s.template()), sha, s.number(), "template");
      byte[] crop = seal == null || s.cropPng() == null ? null : seal.seal(s.cropPng(), sha, s.number(), "crop");
      out.add(RowFactory.create(sha, r.uri(), r.kind(), s.number(), s.start(), s.end(), s.samples(), time,
          s.box().x(), s.box().y(), s.box().width(), s.box().height(), s.qualityJson(), s.boxesJson(), seal == null ? s.template() : null,
          seal == null ? s.cropPng() : null, s.decisionJson(), s.link(), template, crop));
    }
    return out;
  }

  /** A stored sighting from its row (as {@link OutputCheck} accepts it), its template and crop opened by {@code seal} when sealed. */
  static StoredSighting.New sighting(Row row, OutputSeal seal) {
    int number = row.getInt(row.fieldIndex("number"));
    float[] template;
    byte[] crop = row.getAs("crop");
    if (seal != null) {
      String sha = row.getAs("media");
      byte[] sealedCrop = row.getAs("crop_sealed");
      template = org.likeness.gallery.store.Templates.decode(seal.open(row.getAs("template_sealed"), sha, number, "template"));
      crop = sealedCrop == null ? null : seal.open(sealedCrop, sha, number, "crop");
    } else {
      List<Float> t = row.getList(row.fieldIndex("template"));
      template = new float[t.size()];
      for (int i = 0; i < template.length; i++) {
        template[i] = t.get(i);
      }
    }
    return new StoredSighting.New(number, (Double) row.getAs("start"), (Double) row.getAs("end"),
        row.getInt(row.fieldIndex("samples")), (Double) row.getAs("time"), new Box(row.getDouble(row.fieldIndex("box_x")),
            row.getDouble(row.fieldIndex("box_y")), row.getDouble(row.fieldIndex("box_w")), row.getDouble(row.fieldIndex("box_h"))),
        row.getAs("quality"), row.getAs("boxes"), template, crop, row.getAs("decision"), (Integer) row.getAs("link"));
  }

  /**
   * What a finished job wrote into its manifest; {@code job} and {@code key} (the job's key sealed with
   * the installation's template key) only where its templates and crops are sealed.
   */
  public record Manifest(int format, String pack, String gallery, String galleryIdentity, double fps, long media, long sightings, long failed,
      String job, String key) {}

  /** Writes the manifest (the output's last file). */
  static void writeManifest(String out, Configuration conf, Manifest m) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", m.format());
    n.put("pack", m.pack());
    n.put("gallery", m.gallery());
    if (m.galleryIdentity() != null) {
      n.put("galleryIdentity", m.galleryIdentity());
    }
    n.put("fps", m.fps());
    n.put("media", m.media());
    n.put("sightings", m.sightings());
    n.put("failed", m.failed());
    if (m.key() != null) {
      n.put("job", m.job());
      n.put("key", m.key());
    }
    Path p = new Path(out, MANIFEST);
    try (OutputStream o = p.getFileSystem(conf).create(p, true)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(o, n);
    }
  }

  /** Reads a finished job's manifest; a clear error for a folder that is not one, or of another format. */
  public static Manifest readManifest(String out, Configuration conf) throws IOException {
    Path p = new Path(out, MANIFEST);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw new org.likeness.gallery.store.InvalidInputException(out + ": not the output of a finished likeness job (no " + MANIFEST + ")");
    }
    try (InputStream in = fs.open(p)) {
      var n = JSON.readTree(in);
      int format = n.path("format").asInt(-1);
      if (format != FORMAT && format != 1) {
        throw new org.likeness.gallery.store.InvalidInputException(out + ": output format " + format + ", this program reads formats 1 and "
            + FORMAT);
      }
      return new Manifest(format, n.path("pack").asText(), n.path("gallery").isNull() ? null : n.path("gallery").asText(null),
          n.path("galleryIdentity").asText(null), n.path("fps").asDouble(), n.path("media").asLong(), n.path("sightings").asLong(), n.path("failed").asLong(),
          n.path("job").asText(null), n.path("key").asText(null));
    }
  }
}
