package org.likeness.spark.search;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Distributed 1:N measured: a synthetic gallery cut into cells (and, given a folder, written to
 * Parquet and read back), every probe searched through the cells, and recall@1 against exact
 * search on a seeded sample of the probes, mates and strangers apart.
 */
public final class SearchBenchmark {
  /** What to measure. */
  public record Settings(long faces, long identities, long probes, int dimension, double mateCosine, double structure, int cells, int probesPerQuery,
      int exactSample, int partitions, String dir, long seed) {}

  /** What it measured (seconds of wall time on the driver). */
  public record Result(String master, long faces, long probes, int cells, int probesPerQuery, double buildSeconds, double searchSeconds,
      double probesPerSecond, double recallMates, double recallStrangers, double recall, int sample) {}

  private SearchBenchmark() {}

  public static Result run(SparkSession spark, Settings s) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SyntheticFaces data = new SyntheticFaces(s.dimension(), s.identities(), s.mateCosine(), s.structure(), s.seed());
    long t0 = System.nanoTime();
    CellGallery gallery = CellGallery.build(jsc, data.gallery(jsc, s.faces(), s.partitions()), s.cells(),
        (int) Math.min(s.faces(), 50L * s.cells()), s.partitions(), s.seed());
    long size = gallery.size();
    if (s.dir() != null) {
      gallery.write(spark, s.dir());
      gallery = CellGallery.read(spark, s.dir(), s.partitions());
      if (gallery.size() != size) {
        throw new IllegalStateException("the gallery read back holds " + gallery.size() + " templates, not " + size);
      }
    }
    double build = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    JavaRDD<Hit> hits = gallery.search(jsc, data.probes(jsc, s.probes(), s.partitions()), s.probesPerQuery());
    hits.persist(StorageLevel.MEMORY_AND_DISK());
    long answered = hits.count();
    double search = (System.nanoTime() - t0) / 1e9;
    List<FaceVector> sample = new java.util.ArrayList<>();
    long stride = Math.max(1, s.probes() / s.exactSample());
    for (long j = 0; j < s.probes() && sample.size() < s.exactSample(); j += stride) {
      sample.add(data.probe(j));
      if (j + 1 < s.probes() && sample.size() < s.exactSample()) {
        sample.add(data.probe(j + 1)); // a mate and a stranger each time
      }
    }
    Map<Long, Long> truth = new HashMap<>();
    gallery.exact(jsc, sample).collect().forEach(h -> truth.put(h.probe(), h.face()));
    java.util.Set<Long> ids = new java.util.HashSet<>(truth.keySet());
    Map<Long, Long> found = new HashMap<>();
    hits.filter(h -> ids.contains(h.probe())).collect().forEach(h -> found.put(h.probe(), h.face()));
    int mates = 0, matesRight = 0, strangers = 0, strangersRight = 0;
    for (var e : truth.entrySet()) {
      boolean right = e.getValue().equals(found.get(e.getKey()));
      if (e.getKey() % 2 == 0) {
        mates++;
        matesRight += right ? 1 : 0;
      } else {
        strangers++;
        strangersRight += right ? 1 : 0;
      }
    }
    hits.unpersist(false);
    return new Result(spark.sparkContext().master(), size, answered, gallery.cells(), s.probesPerQuery(), build, search,
        answered / search, mates == 0 ? Double.NaN : matesRight / (double) mates, strangers == 0 ? Double.NaN
            : strangersRight / (double) strangers, (matesRight + strangersRight) / (double) truth.size(), truth.size());
  }
}
