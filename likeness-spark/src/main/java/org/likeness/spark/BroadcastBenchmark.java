package org.likeness.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.likeness.engine.geom.Box;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.StoredJson;
import org.likeness.spark.search.SyntheticFaces;

/**
 * {@code likeness bench spark-gallery}: what a large gallery costs a Spark job that identifies
 * against it: synthetic templates of the pack's dimension stored in a real store, read into a
 * {@link GallerySnapshot} on the driver, broadcast, indexed once per executor and searched by the
 * rule {@code spark scan} decides by. Mates are a second draw of an enrolled identity, strangers
 * identities never enrolled; the figures are time and memory, the names a check that the searches
 * are the real ones.
 */
public final class BroadcastBenchmark {
  private BroadcastBenchmark() {}

  /** What to run: gallery size (templates per identity), probes (half mates), mates' cosine, store home, seed. */
  public record Settings(int faces, int perIdentity, int probes, double mateCosine, Path home, long seed) {}

  /**
   * What it cost: the store written and read, the driver's heap holding the snapshot (and, on a local
   * master, with the executors' index beside it), each executor's index build (first use), the
   * searches, and what they named.
   */
  public record Result(String master, int faces, int dimension, String method, double storeSeconds, double readSeconds,
      long snapshotBytes, long withIndexBytes, double indexSeconds, double searchSeconds, double probesPerSecond, int mates, int matesNamedRight,
      int strangers, int strangersNamed) {}

  /** Runs it on {@code spark} with the pack {@code spec} describes. */
  public static Result run(SparkSession spark, EngineSpec spec, Settings s) throws Exception {
    var engine = WorkerEngines.engine(spec);
    int dim = engine.pack().recognizer().embeddingSize();
    int identities = (s.faces() + s.perIdentity() - 1) / s.perIdentity();
    SyntheticFaces faces = new SyntheticFaces(dim, identities, s.mateCosine(), 0, s.seed()); // uniform identities: no structure to help
    long t0 = System.nanoTime();
    try (GalleryStore store = GalleryStore.open(s.home())) {
      GalleryInfo g = store.createGallery("bench", engine.pack().id(), dim);
      String quality = StoredJson.quality(Map.of("passed", true));
      Box box = new Box(0, 0, 100, 100);
      for (int from = 0; from < identities; from += 10_000) { // commits of 10,000 identities
        int first = from;
        store.inTransaction(() -> {
          for (int i = first; i < Math.min(identities, first + 10_000); i++) {
            long subject = store.ensureSubject(g.id(), "s" + i, null, null).id();
            for (int k = 0; k < s.perIdentity() && (long) i * s.perIdentity() + k < s.faces(); k++) {
              store.addFace(g.id(), subject, String.format("%064x", (long) i * s.perIdentity() + k), box, quality, faces.face(i, k), null);
            }
          }
          return null;
        });
      }
      double stored = (System.nanoTime() - t0) / 1e9;
      System.gc();
      long before = usedHeap();
      long t1 = System.nanoTime();
      GallerySnapshot snapshot = GallerySnapshot.read(store, "bench", null, null, SearchMethod.AUTO, 5);
      double read = (System.nanoTime() - t1) / 1e9;
      System.gc();
      long held = usedHeap() - before;
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<GallerySnapshot> bc = jsc.broadcast(snapshot);
      int partitions = Math.max(1, jsc.defaultParallelism());
      List<Integer> probeIds = new ArrayList<>();
      for (int j = 0; j < s.probes(); j++) {
        probeIds.add(j);
      }
      long seed = s.seed(), perIdentity = s.perIdentity(); // the task captures these, not the settings (a Path is not serializable)
      long t2 = System.nanoTime();
      List<double[]> parts = jsc.parallelize(probeIds, partitions).mapPartitions(it -> {
        long a = System.nanoTime();
        var matcher = WorkerEngines.matcher(bc.value(), WorkerEngines.engine(spec));
        long b = System.nanoTime();
        int mates = 0, right = 0, strangers = 0, named = 0;
        while (it.hasNext()) {
          int j = it.next();
          boolean mate = j % 2 == 0;
          int identity = mate ? new Random(seed + j).nextInt(identities) : identities + j;
          Identification id = matcher.identify(faces.face(identity, perIdentity + 1L + j), org.likeness.engine.verify.FaceSize.photo(120));
          if (mate) {
            mates++;
            right += id.decision() != null && id.decision().subject().equals("s" + identity) ? 1 : 0;
          } else {
            strangers++;
            named += id.decision() != null ? 1 : 0;
          }
        }
        long c = System.nanoTime();
        return List.of(new double[] {(b - a) / 1e9, (c - b) / 1e9, mates, right, strangers, named}).iterator();
      }).collect();
      double wall = (System.nanoTime() - t2) / 1e9;
      System.gc();
      long withIndex = usedHeap() - before; // local masters: the executors' index lives in this JVM too
      double index = 0, search = 0;
      int[] counts = new int[4];
      for (double[] p : parts) {
        index = Math.max(index, p[0]);
        search = Math.max(search, p[1]);
        for (int k = 0; k < 4; k++) {
          counts[k] += (int) p[k + 2];
        }
      }
      bc.destroy();
      return new Result(spark.sparkContext().master(), s.faces(), dim, GallerySnapshot.executorMethod(SearchMethod.AUTO, s.faces())
          .resolve(s.faces()).name(), stored, read, held, withIndex, index, search, s.probes() / Math.max(1e-9, wall - index), counts[0], counts[1],
          counts[2], counts[3]);
    }
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
