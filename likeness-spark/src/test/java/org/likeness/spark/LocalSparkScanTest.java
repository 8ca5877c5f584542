package org.likeness.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.decode.VideoLimits;

/**
 * The job on local[2] against {@code scan} on the same inputs: the same media, faces, tracks and
 * decisions, templates equal within 1e-5; a video split into segments stitched into the same
 * tracks; bad files as failed rows; an import twice storing once.
 */
class LocalSparkScanTest {
  @TempDir
  static Path dir;
  private static FaceEngine engine;
  private static SparkSession spark;
  private static Path in;
  private static Map<String, List<StoredSighting>> reference;

  @BeforeAll
  static void open() throws Exception {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
    Fixture.Reference ref = Fixture.reference(dir, engine);
    in = ref.in();
    reference = ref.scans();
    spark = SparkSessions.open("local[2]");
  }

  @AfterAll
  static void close() {
    if (spark != null) {
      spark.stop();
    }
    engine.close();
  }

  /** Runs the job on the fixture folder against a fresh home's gallery and imports it there. */
  static ScanJob.Summary runAndImport(SparkSession spark, FaceEngine engine, Path in, Path home, Path out, double segmentSeconds)
      throws Exception {
    Fixture.enrol(home, engine);
    GallerySnapshot gallery;
    try (GalleryStore store = GalleryStore.open(home)) {
      gallery = GallerySnapshot.read(store, Fixture.GALLERY, null, null, SearchMethod.AUTO, Fixture.TOP);
    }
    ScanJob.Settings settings = new ScanJob.Settings(List.of(in.toString()), out.toString(),
        EngineSpec.of(engine.pack().dir(), false, 40, null), gallery, Fixture.FPS, segmentSeconds, 2, VideoLimits.DEFAULT);
    ScanJob.Summary summary = new ScanJob(spark).run(settings, engine.pack().id());
    try (GalleryStore store = GalleryStore.open(home); AuditLog audit = AuditLog.open(home)) {
      ScanImport.Result r = new ScanImport(store, audit).run(spark, out.toString(), Fixture.GALLERY, "test");
      assertThat(r.stored()).isEqualTo(summary.media() - summary.failed());
      assertThat(r.failed()).isEqualTo(summary.failed());
      ScanImport.Result again = new ScanImport(store, audit).run(spark, out.toString(), Fixture.GALLERY, "test");
      assertThat(again.stored()).as("importing twice stores once").isZero();
      assertThat(again.skipped()).isEqualTo(r.stored());
    }
    return summary;
  }

  @Test
  void sameResultsAsScanOnLocal2() throws Exception {
    Path out = dir.resolve("out-whole");
    ScanJob.Summary s = runAndImport(spark, engine, in, dir.resolve("home-whole"), out, 60);
    assertThat(s.media()).isEqualTo(6); // 3 photos, the clip, 2 failed; notes.txt skipped
    assertThat(s.failed()).isEqualTo(2);
    assertThat(s.master()).isEqualTo("local[2]");
    Fixture.assertSame(reference, Fixture.scans(dir.resolve("home-whole")), false);
    assertThat(s.sightings()).isEqualTo(reference.values().stream().mapToInt(List::size).sum());
    // Bad media are rows with their reason
    List<Row> failed = spark.read().parquet(out.resolve("media").toString()).filter("failed").orderBy("uri").collectAsList();
    assertThat(failed).extracting(r -> (String) r.getAs("uri")).anyMatch(u -> u.endsWith("fake.mp4")).anyMatch(u -> u.endsWith("half.mp4"));
    assertThat(failed).allMatch(r -> ((String) r.getAs("error")).contains(".mp4"));
    // Partitioned by media: every row of one media in one file
    List<Row> filesPerMedia = spark.read().parquet(out.resolve("sightings").toString())
        .withColumn("file", org.apache.spark.sql.functions.input_file_name()).groupBy("media")
        .agg(org.apache.spark.sql.functions.countDistinct("file").as("files")).collectAsList();
    assertThat(filesPerMedia).hasSize(reference.size()).allMatch(r -> r.getLong(1) == 1);

    // Copied in part (one file of sightings lost on the way): refused whole, nothing stored.
    Path part = dir.resolve("out-part");
    try (var all = java.nio.file.Files.walk(out)) {
      for (Path f : all.toList()) {
        java.nio.file.Files.copy(f, part.resolve(out.relativize(f).toString()));
      }
    }
    try (var files = java.nio.file.Files.list(part.resolve("sightings"))) {
      java.nio.file.Files.delete(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow());
    }
    try (GalleryStore store = GalleryStore.open(dir.resolve("home-whole")); AuditLog audit = AuditLog.open(dir.resolve("home-whole"))) {
      int scans = store.repositories().scans().scans().size();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScanImport(store, audit).run(spark, part.toString(), Fixture.GALLERY, "test"))
          .isInstanceOf(org.likeness.gallery.store.InvalidInputException.class).hasMessageContaining("not whole");
      assertThat(store.repositories().scans().scans()).hasSize(scans);
    }
    // Another gallery of the same name (another installation's, or one made again): its decisions are not this one's.
    Path other = dir.resolve("home-other");
    Fixture.enrol(other, engine);
    try (GalleryStore store = GalleryStore.open(other); AuditLog audit = AuditLog.open(other)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScanImport(store, audit).run(spark, out.toString(), Fixture.GALLERY, "test"))
          .isInstanceOf(org.likeness.gallery.store.InvalidInputException.class).hasMessageContaining("another gallery named");
      assertThat(store.repositories().scans().scans()).isEmpty();
    }
  }

  @Test
  void anInstallationWithATemplateKeyGetsASealedOutputThatOnlyItImports() throws Exception {
    Path home = dir.resolve("home-sealed"), out = dir.resolve("out-sealed");
    Fixture.enrol(home, engine);
    GallerySnapshot gallery;
    try (GalleryStore store = GalleryStore.open(home)) {
      gallery = GallerySnapshot.read(store, Fixture.GALLERY, null, null, SearchMethod.AUTO, Fixture.TOP);
    }
    byte[] key = new byte[32], other = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    new java.security.SecureRandom().nextBytes(other);
    ScanJob.Settings settings = new ScanJob.Settings(List.of(in.toString()), out.toString(),
        EngineSpec.of(engine.pack().dir(), false, 40, null), gallery, Fixture.FPS, 60, 2, VideoLimits.DEFAULT);
    ScanJob.Summary summary = new ScanJob(spark).run(settings, engine.pack().id(), new org.likeness.gallery.store.TemplateCipher(key));
    // No template and no crop in the clear: the sealed columns hold them.
    List<Row> rows = spark.read().parquet(out.resolve("sightings").toString()).collectAsList();
    assertThat(rows).hasSize((int) summary.sightings()).isNotEmpty()
        .allMatch(r -> r.getAs("template") == null && r.getAs("crop") == null && r.getAs("template_sealed") != null);
    assertThat(java.nio.file.Files.readString(out.resolve(ScanOutput.MANIFEST))).contains("\"key\"").contains("\"job\"");
    try (GalleryStore store = GalleryStore.open(home); AuditLog audit = AuditLog.open(home)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScanImport(store, audit).run(spark, out.toString(), Fixture.GALLERY, "t"))
          .isInstanceOf(org.likeness.gallery.store.InvalidInputException.class).hasMessageContaining("LIKENESS_TEMPLATE_KEY");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScanImport(store, audit, new org.likeness.gallery.store.TemplateCipher(other))
          .run(spark, out.toString(), Fixture.GALLERY, "t")).isInstanceOf(org.likeness.gallery.store.InvalidInputException.class)
          .hasMessageContaining("another installation");
      assertThat(store.repositories().scans().scans()).isEmpty();
      ScanImport.Result r = new ScanImport(store, audit, new org.likeness.gallery.store.TemplateCipher(key))
          .run(spark, out.toString(), Fixture.GALLERY, "t");
      assertThat(r.stored()).isEqualTo(summary.media() - summary.failed());
    }
    Fixture.assertSame(reference, Fixture.scans(home), false);
  }

  @Test
  void aVideoSplitIntoSegmentsGivesTheSameTracks() throws Exception {
    ScanJob.Summary s = runAndImport(spark, engine, in, dir.resolve("home-split"), dir.resolve("out-split"), 3);
    assertThat(s.failed()).isEqualTo(2);
    Fixture.assertSame(reference, Fixture.scans(dir.resolve("home-split")), true);
  }

  @Test
  void importedScansRescanClusterAndAppearAsScannedOnes() throws Exception {
    Path home = dir.resolve("home-imported");
    runAndImport(spark, engine, in, home, dir.resolve("out-imported"), 60);
    Path scanned = dir.resolve("scan-home"); // Fixture.reference scanned the same media there with scan
    Map<String, Integer> clusters = new java.util.TreeMap<>(), changed = new java.util.TreeMap<>();
    Map<String, java.util.List<String>> seen = new java.util.TreeMap<>();
    for (Path h : List.of(scanned, home)) {
      String k = h == home ? "imported" : "scanned";
      try (GalleryStore store = GalleryStore.open(h); AuditLog audit = AuditLog.open(h);
          org.likeness.gallery.service.GalleryService galleries = new org.likeness.gallery.service.GalleryService(store, audit, engine);
          org.likeness.gallery.cluster.ClusterService cs = new org.likeness.gallery.cluster.ClusterService(store, galleries, audit,
              engine.pack().id(), engine.embedder().dimension(), org.likeness.gallery.cluster.ClusterThresholds.forPack(engine.pack()))) {
        // Rescanned against its gallery by the rule it was decided by: nothing changes.
        var scans = new org.likeness.video.scan.ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
        var policy = galleries.policy(null, null, SearchMethod.AUTO, org.likeness.gallery.match.Aggregation.MAX);
        int n = 0;
        for (var s : scans.store().scans()) {
          n += scans.rescan("test", s.id(), Fixture.GALLERY, policy, Fixture.TOP).changed().size();
        }
        changed.put(k, n);
        // Unknown faces cluster alike.
        clusters.put(k, cs.rebuild("test").clusters());
        // A person's appearances across all media: the same media, at the same times.
        float[] probe = engine.embed(engine.analyze(engine.decode(Fixture.dataset().resolve("obama.jpg")))).getFirst().embedding();
        seen.put(k, cs.appearances("test", List.of(probe), Fixture.GALLERY, "Barack Obama", engine.verifier().threshold(),
            engine.verifier().calibration(), 100).appearances().stream()
            .map(a -> a.face().media().sha256() + "@" + a.face().time()).sorted().toList());
      }
    }
    assertThat(changed).as("a rescan of a scan changes nothing").containsEntry("scanned", 0).containsEntry("imported", 0);
    assertThat(clusters.get("imported")).isEqualTo(clusters.get("scanned")).isPositive();
    assertThat(seen.get("imported")).isEqualTo(seen.get("scanned")).isNotEmpty();
  }

  @Test
  void mediaOverTheLimitsAndABrokenPhotoAreFailedRowsWithTheirReasonAndTheJobGoesOn() throws Exception {
    // Two inputs, one of them a file:// URI: the clip (10 s, over a 4 s limit) with a photo, and a broken photo beside another.
    Path a = Files.createDirectories(dir.resolve("limits-a")), b = Files.createDirectories(dir.resolve("limits-b"));
    Files.copy(in.resolve("short_hamilton_clip.mp4"), a.resolve("long.mp4"));
    Files.copy(in.resolve("biden.jpg"), a.resolve("biden.jpg"));
    byte[] photo = Files.readAllBytes(in.resolve("obama2.jpg"));
    Files.write(b.resolve("broken.jpg"), java.util.Arrays.copyOf(photo, 600)); // a JPEG cut inside its headers
    Files.copy(in.resolve("two_people.jpg"), b.resolve("two_people.jpg"));
    Files.write(b.resolve("huge.png"), pngHeader(60_000, 60_000)); // 3.6 gigapixels claimed in 33 bytes
    Path out = dir.resolve("out-limits");
    ScanJob.Summary s = new ScanJob(spark).run(new ScanJob.Settings(List.of(a.toString(), b.toUri().toString()), out.toString(),
        EngineSpec.of(engine.pack().dir(), false, 40, null), null, Fixture.FPS, 60, 2, new VideoLimits(4, VideoLimits.DEFAULT.maxPixels())),
        engine.pack().id());
    assertThat(s.media()).isEqualTo(5);
    assertThat(s.failed()).isEqualTo(3);
    Map<String, String> errors = new java.util.TreeMap<>();
    spark.read().parquet(out.resolve("media").toString()).filter("failed").collectAsList()
        .forEach(r -> {
          String uri = r.getAs("uri");
          errors.put(uri.substring(uri.lastIndexOf('/') + 1), r.getAs("error"));
        });
    assertThat(errors.keySet()).containsExactly("broken.jpg", "huge.png", "long.mp4");
    assertThat(errors.get("long.mp4")).as("the limit named").contains("exceeds the limit of 4 s");
    assertThat(errors.get("huge.png")).as("refused before decoding").contains("60000x60000").contains("exceeds the limit");
    assertThat(errors.get("broken.jpg").replace(b.toUri().toString(), "").replace(b.toString(), "")).as("a reason beyond the name")
        .isNotBlank().doesNotContain("long.mp4");
    List<Row> scanned = spark.read().parquet(out.resolve("sightings").toString()).select("media").distinct().collectAsList();
    assertThat(scanned).as("the two good photos were scanned").hasSize(2);
  }

  @Test
  void aPackShippedWithTheJobIsWhatTheExecutorsRead() throws Exception {
    Path photos = Files.createDirectories(dir.resolve("shipped-in"));
    Files.copy(in.resolve("two_people.jpg"), photos.resolve("two_people.jpg"));
    EngineSpec spec = EngineSpec.shipped(spark.sparkContext(), engine.pack().dir(), dir.resolve("staging"), 40, null);
    Path staged = Path.of(spec.packDir());
    assertThat(staged).isNotEqualTo(engine.pack().dir().toAbsolutePath().normalize());
    assertThat(spec.manifestSha256()).isEqualTo(EngineSpec.of(engine.pack().dir(), false, 40, null).manifestSha256());
    // Only the archive remains: an executor reading the pack in place would find nothing there.
    assertThat(staged.getParent()).doesNotExist();
    assertThat(staged.getParent().resolveSibling(staged.getParent().getFileName() + ".zip")).isRegularFile();
    ScanJob.Summary s = new ScanJob(spark).run(new ScanJob.Settings(List.of(photos.toString()), dir.resolve("out-shipped").toString(),
        spec, null, Fixture.FPS, 60, 2, VideoLimits.DEFAULT), engine.pack().id());
    assertThat(s.failed()).isZero();
    assertThat(s.sightings()).as("both faces of the photo, found by the shipped pack's networks").isEqualTo(2);
  }

  @Test
  void anExecutorWhosePackIsNotTheDriversRefusesToScan() {
    EngineSpec driver = EngineSpec.of(engine.pack().dir(), false, 40, null);
    EngineSpec other = new EngineSpec(driver.packDir(), false, "0".repeat(64), 40, null);
    assertThatThrownBy(other::open).isInstanceOf(IllegalStateException.class).hasMessageContaining("is not the driver's");
    EngineSpec missing = new EngineSpec(dir.resolve("no-pack").toString(), false, driver.manifestSha256(), 40, null);
    assertThatThrownBy(missing::open).isInstanceOf(IllegalStateException.class).hasMessageContaining("no model pack at");
  }

  @Test
  void refusesAnOutputThatHoldsFilesAndAnInputThatIsNotThere() throws Exception {
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("x"), "x");
    ScanJob job = new ScanJob(spark);
    EngineSpec spec = EngineSpec.of(engine.pack().dir(), false, 40, null);
    assertThatThrownBy(() -> job.run(new ScanJob.Settings(List.of(in.toString()), full.toString(), spec, null, 5, 60, 2,
        VideoLimits.DEFAULT), engine.pack().id())).isInstanceOf(InvalidInputException.class).hasMessageContaining("already holds");
    assertThatThrownBy(() -> job.run(new ScanJob.Settings(List.of(dir.resolve("nowhere").toString()), dir.resolve("o2").toString(),
        spec, null, 5, 60, 2, VideoLimits.DEFAULT), engine.pack().id())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no such file");
  }

  /** A PNG signature and IHDR claiming {@code w x h} RGB, with no pixel data. */
  private static byte[] pngHeader(int w, int h) {
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(w).putInt(h)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ihdr.array());
    java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    return png.array();
  }
}
