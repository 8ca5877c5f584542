package org.likeness.spark.search;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.apache.lucene.util.VectorUtil;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.likeness.gallery.cluster.SphericalKMeans;
import scala.Tuple2;

/**
 * A gallery cut into spherical k-means cells, held by Spark as one block of templates per cell
 * (cells hash-partitioned, so a partition holds whole cells), written to and read from Parquet
 * ({@code centres/}, {@code faces/} partitioned by cell, layout {@value #FORMAT}). A probe is
 * routed to its {@code probes} nearest centres and scored exactly (float cosine) against every
 * template of those cells; what routing misses is what it costs, measured as recall@1 against
 * exact search ({@link #exact}).
 */
public final class CellGallery implements Serializable {
  /** Layout version of the Parquet form. */
  public static final int FORMAT = 1;
  static final StructType FACES = new StructType().add("cell", DataTypes.IntegerType, false).add("face", DataTypes.LongType, false)
      .add("subject", DataTypes.LongType, false).add("template", DataTypes.createArrayType(DataTypes.FloatType, false), false);
  static final StructType CENTRES = new StructType().add("cell", DataTypes.IntegerType, false)
      .add("centre", DataTypes.createArrayType(DataTypes.FloatType, false), false).add("format", DataTypes.IntegerType, false);

  /** The templates of one cell, one after the other. */
  record Block(long[] faces, float[][] templates) implements Serializable {
    int size() {
      return faces.length;
    }
  }

  private final float[][] centres;
  private final JavaPairRDD<Integer, Block> cells;

  private CellGallery(float[][] centres, JavaPairRDD<Integer, Block> cells) {
    this.centres = centres;
    this.cells = cells;
  }

  /**
   * Cuts {@code faces} into {@code k} cells trained on a seeded sample of {@code sample} faces
   * (on the driver), kept in memory (and on disk past it) over {@code partitions} partitions.
   */
  public static CellGallery build(JavaSparkContext jsc, JavaRDD<FaceVector> faces, int k, int sample, int partitions, long seed) {
    List<FaceVector> picked = faces.takeSample(false, sample, seed);
    float[][] train = picked.stream().map(FaceVector::template).toArray(float[][]::new);
    float[][] centres = new SphericalKMeans(k, 8, seed).train(train, train.length, ForkJoinPool.commonPool());
    Broadcast<float[][]> c = jsc.broadcast(centres);
    JavaPairRDD<Integer, Block> cells = faces.mapToPair(f -> new Tuple2<>(SphericalKMeans.nearest(c.value(), f.template()), f))
        .groupByKey(new HashPartitioner(partitions)).mapValues(CellGallery::block);
    cells.persist(StorageLevel.MEMORY_AND_DISK());
    return new CellGallery(centres, cells);
  }

  private static Block block(Iterable<FaceVector> members) {
    List<FaceVector> all = new ArrayList<>();
    members.forEach(all::add);
    long[] ids = new long[all.size()];
    float[][] vectors = new float[all.size()][];
    for (int i = 0; i < all.size(); i++) {
      ids[i] = all.get(i).face();
      vectors[i] = all.get(i).template();
    }
    return new Block(ids, vectors);
  }

  /** Cells in the gallery. */
  public int cells() {
    return centres.length;
  }

  /** Templates in the gallery. */
  public long size() {
    return cells.values().map(b -> (long) b.size()).fold(0L, Long::sum);
  }

  /** Writes the gallery: {@code dir/centres} and {@code dir/faces}, partitioned by cell (a partition's cells in one file). */
  public void write(SparkSession spark, String dir) {
    List<Row> c = new ArrayList<>();
    for (int i = 0; i < centres.length; i++) {
      c.add(RowFactory.create(i, centres[i], FORMAT));
    }
    spark.createDataFrame(c, CENTRES).coalesce(1).write().parquet(dir + "/centres");
    JavaRDD<Row> rows = cells.flatMap(t -> {
      List<Row> out = new ArrayList<>();
      Block b = t._2();
      for (int i = 0; i < b.size(); i++) {
        out.add(RowFactory.create(t._1(), b.faces()[i], 0L, b.templates()[i]));
      }
      return out.iterator();
    });
    spark.createDataFrame(rows, FACES).write().parquet(dir + "/faces");
  }

  /** Reads a gallery {@link #write} wrote, over {@code partitions} partitions. */
  public static CellGallery read(SparkSession spark, String dir, int partitions) {
    List<Row> c = spark.read().schema(CENTRES).parquet(dir + "/centres").orderBy("cell").collectAsList();
    float[][] centres = new float[c.size()][];
    for (Row r : c) {
      if (r.getInt(2) != FORMAT) {
        throw new IllegalArgumentException(dir + ": cell gallery format " + r.getInt(2) + ", this program reads " + FORMAT);
      }
      centres[r.getInt(0)] = floats(r.getList(1));
    }
    Dataset<Row> faces = spark.read().schema(FACES).parquet(dir + "/faces");
    JavaPairRDD<Integer, Block> cells = faces.javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getInt(0), new FaceVector(r.getLong(1), r.getLong(2), floats(r.getList(3)))))
        .groupByKey(new HashPartitioner(partitions)).mapValues(CellGallery::block);
    cells.persist(StorageLevel.MEMORY_AND_DISK());
    return new CellGallery(centres, cells);
  }

  private static float[] floats(List<Float> l) {
    float[] v = new float[l.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = l.get(i);
    }
    return v;
  }

  /** Each probe's best face among the templates of its {@code probes} nearest cells (probes whose cells are empty have none). */
  public JavaRDD<Hit> search(JavaSparkContext jsc, JavaRDD<FaceVector> queries, int probes) {
    Broadcast<float[][]> c = jsc.broadcast(centres);
    JavaPairRDD<Integer, FaceVector> routed = queries.flatMapToPair(q -> {
      List<Tuple2<Integer, FaceVector>> out = new ArrayList<>();
      for (int cell : SphericalKMeans.nearest(c.value(), q.template(), probes)) {
        out.add(new Tuple2<>(cell, q));
      }
      return out.iterator();
    });
    return cells.cogroup(routed, cells.partitioner().get()).flatMap(t -> {
      List<Hit> out = new ArrayList<>();
      for (Block b : t._2()._1()) {
        for (FaceVector q : t._2()._2()) {
          out.add(best(b, q));
        }
      }
      return out.iterator();
    }).mapToPair(h -> new Tuple2<>(h.probe(), h)).reduceByKey(CellGallery::better).values();
  }

  /** Each query's best face over the whole gallery (every template scored): the truth recall is measured against. */
  public JavaRDD<Hit> exact(JavaSparkContext jsc, List<FaceVector> queries) {
    Broadcast<List<FaceVector>> q = jsc.broadcast(queries);
    return cells.values().flatMap(b -> q.value().stream().map(v -> best(b, v)).iterator())
        .mapToPair(h -> new Tuple2<>(h.probe(), h)).reduceByKey(CellGallery::better).values();
  }

  private static Hit best(Block b, FaceVector q) {
    long face = -1;
    float score = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < b.size(); i++) {
      float s = VectorUtil.dotProduct(b.templates()[i], q.template());
      if (s > score) {
        score = s;
        face = b.faces()[i];
      }
    }
    return new Hit(q.face(), face, score);
  }

  private static Hit better(Hit a, Hit b) {
    return a.score() > b.score() || (a.score() == b.score() && a.face() < b.face()) ? a : b;
  }
}
