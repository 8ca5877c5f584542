package org.likeness.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.enroll.BulkSource;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.EnrollOutcome;
import org.likeness.gallery.enroll.EnrollOutcome.Status;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.io.GalleryArchive;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.StoreException;
import org.likeness.gallery.store.StoredFace;
import org.likeness.gallery.store.TemplateCipher;
import org.likeness.gallery.store.Templates;
import org.likeness.gallery.store.TestStorage;

/** Real models, real SQLite files, real fixture photos: no mocks of the store or the engine. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class GalleryIntegrationTest {
  private static FaceEngine engine;
  private static final ForkJoinPool POOL = new ForkJoinPool(2);

  @BeforeAll
  static void open() {
    engine = new FaceEngine(TestData.pack(), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static MatchPolicy policy() {
    return new MatchPolicy(SearchMethod.AUTO, Aggregation.MAX, engine.verifier().threshold(),
        engine.verifier().calibration());
  }

  private static Gallery create(GalleryStore store, String name) {
    store.createGallery(name, engine.pack().id(), engine.embedder().dimension());
    return Gallery.open(store, name, POOL);
  }

  private static List<Identification> identify(Gallery g, String rel) throws Exception {
    List<Identification> out = new ArrayList<>();
    for (Face f : engine.analyze(engine.decode(TestData.photo(rel)))) {
      out.add(g.identify(f.embedding(), 3, policy()));
    }
    return out;
  }

  @Test
  void bulkEnrolIsIdempotentAndIdentifiesKnownAndUnknownPeople(@TempDir Path home) throws Exception {
    try (GalleryStore store = TestStorage.open(home)) {
      Gallery g = create(store, "watch");
      Enroller e = new Enroller(engine, store, g, Enroller.Options.DEFAULT);
      List<EnrollItem> items = BulkSource.folder(TestData.photo("examples/knn_examples/train"));
      assertThat(items).hasSize(9);
      List<EnrollOutcome> first = e.run(items, 2, o -> { });
      assertThat(first).allMatch(o -> o.status() == Status.ENROLLED, "all enrolled");
      List<EnrollOutcome> again = e.run(items, 2, o -> { });
      assertThat(again).allMatch(o -> o.status() == Status.ALREADY_ENROLLED, "second run adds nothing");
      assertThat(store.counts(g.info().id())).containsExactly(5, 9);

      assertThat(identify(g, "examples/knn_examples/test/obama1.jpg").get(0).decision().subject()).isEqualTo("obama");
      assertThat(identify(g, "examples/knn_examples/test/johnsnow_test1.jpg").get(0).decision().subject()).isEqualTo("kit_harington");
      Set<String> pair = new HashSet<>();
      identify(g, "examples/knn_examples/test/kit_with_rose.jpg").forEach(i -> pair.add(i.decision().subject()));
      assertThat(pair).containsExactlyInAnyOrder("kit_harington", "rose_leslie");
      // Lin-Manuel Miranda is not enrolled: the answer is "unknown", with the closest subjects still listed.
      Identification lin = identify(g, "examples/lin-manuel-miranda.png").get(0);
      assertThat(lin.unknown()).isTrue();
      assertThat(lin.candidates()).isNotEmpty();
      assertThat(lin.candidates().get(0).fmr().rate()).isGreaterThan(1e-4);
      Identification obama = identify(g, "examples/obama.jpg").get(0);
      assertThat(obama.decision().fmr().rate()).isLessThan(1e-4);
      // A reopened gallery rebuilds the same index from the store.
      Gallery reopened = Gallery.open(store, "watch", POOL);
      assertThat(reopened.index().size()).isEqualTo(9);
    }
  }

  @Test
  void badImagesAreRejectedWithReasonsAndNothingStored(@TempDir Path home, @TempDir Path files) throws Exception {
    Path blank = files.resolve("blank.png");
    ImageIO.write(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB), "png", blank.toFile());
    Path junk = Files.write(files.resolve("junk.jpg"), new byte[] {1, 2, 3, 4, 5});
    try (GalleryStore store = TestStorage.open(home)) {
      Gallery g = create(store, "g");
      Enroller e = new Enroller(engine, store, g, Enroller.Options.DEFAULT);
      List<EnrollOutcome> out = e.run(List.of(
          new EnrollItem("x", TestData.photo("examples/two_people.jpg")),
          new EnrollItem("x", blank),
          new EnrollItem("x", junk),
          new EnrollItem("x", files.resolve("missing.jpg")),
          new EnrollItem("x", TestData.photo("tests/test_images/obama_partial_face.jpg"))), 2, o -> { });
      assertThat(out).allMatch(o -> o.status() == Status.REJECTED);
      assertThat(out.get(0).reason()).contains("2 faces found");
      assertThat(out.get(1).reason()).contains("no face");
      assertThat(out.get(2).reason()).contains("junk.jpg");
      assertThat(out.get(3).reason()).contains("missing.jpg").contains("no such file");
      assertThat(out.get(4).reason()).contains("low quality").contains("outside the image");
      assertThat(store.counts(g.info().id())).containsExactly(0, 0);
    }
  }

  @Test
  void subjectManagementAndDeletionThatReallyDeletes(@TempDir Path home) throws Exception {
    try (GalleryStore store = TestStorage.open(home)) {
      Gallery g = create(store, "g");
      long gid = g.info().id();
      Enroller e = new Enroller(engine, store, g, new Enroller.Options(true, true, Enroller.MultiFace.REJECT));
      e.run(List.of(
          new EnrollItem("barack", TestData.photo("examples/obama.jpg")),
          new EnrollItem("obama-2", TestData.photo("examples/obama2.jpg")),
          new EnrollItem("joe", TestData.photo("examples/biden.jpg")),
          new EnrollItem("joe", TestData.photo("examples/knn_examples/train/biden/biden2.jpg"))), 2, o -> { });
      store.renameSubject(gid, "barack", "obama");
      assertThat(store.mergeSubjects(gid, "obama-2", "obama").moved()).isEqualTo(1);
      assertThat(store.requireSubject(gid, "obama").faces()).isEqualTo(2);
      assertThatThrownBy(() -> store.renameSubject(gid, "joe", "obama")).isInstanceOf(StoreException.class).hasMessageContaining("merge");
      // Un-merge: move one of Joe's faces to a new subject, and back.
      StoredFace moved = store.facesOf(store.requireSubject(gid, "joe").id()).get(1);
      store.moveFace(gid, moved.id(), "joe-b");
      assertThat(store.requireSubject(gid, "joe-b").faces()).isEqualTo(1);
      store.moveFace(gid, moved.id(), "joe");
      g.reload();

      List<StoredFace> joe = store.facesOf(store.requireSubject(gid, "joe").id());
      assertThat(joe).hasSize(2).allMatch(f -> f.cropPng() != null);
      byte[] template = Templates.encode(joe.get(0).template());
      byte[] crop = joe.get(0).cropPng();
      store.checkpoint();
      // SQLite's files are ours to read; a PostgreSQL server's are not (there, the template key
      // is what keeps deleted bytes unreadable: docs/DEPLOYMENT.md).
      boolean files = store.database().kind() == org.likeness.gallery.store.Database.Kind.SQLITE;
      // Large rows spill over SQLite pages, so look for the template in 64-byte pieces.
      if (files) {
        assertThat(piecesFound(fileBytes(store), template)).as("control: template is on disk before the delete")
            .isGreaterThan(template.length / 64 / 2);
      }

      assertThat(store.deleteSubject(gid, "joe")).isEqualTo(2);
      store.checkpoint();
      g.reload();
      if (files) {
        assertThat(piecesFound(fileBytes(store), template)).as("template pieces left on disk after delete").isZero();
        assertThat(piecesFound(fileBytes(store), crop)).as("crop pieces left on disk after delete").isZero();
      }
      Identification biden = identify(g, "examples/biden.jpg").get(0);
      assertThat(biden.unknown()).isTrue();
      assertThat(biden.candidates()).noneMatch(c -> c.subject().equals("joe"));
      assertThat(store.subject(gid, "joe")).isEmpty();
    }
  }

  @Test
  void savedHnswIndexIsReusedWhileCurrentAndGoesWithDeletions(@TempDir Path home) throws Exception {
    try (GalleryStore store = TestStorage.open(home)) {
      Gallery g = create(store, "h");
      new Enroller(engine, store, g, Enroller.Options.DEFAULT)
          .run(BulkSource.folder(TestData.photo("examples/knn_examples/train")), 2, o -> { });
      float[] probe = engine.mostProminent(engine.decode(TestData.photo("examples/knn_examples/test/obama1.jpg"))).orElseThrow().embedding();
      MatchPolicy hnsw = new MatchPolicy(SearchMethod.HNSW, Aggregation.MAX, 0.3, null);
      assertThat(g.identify(probe, 1, hnsw).decision().subject()).isEqualTo("obama"); // int8 while the graph builds
      g.index().prepareHnsw();
      assertThat(g.identify(probe, 1, hnsw).decision().subject()).isEqualTo("obama");
      Path dir = Gallery.indexDir(store, g.info());
      Set<String> built = listing(dir);
      assertThat(built).anyMatch(f -> f.startsWith("segments_"));
      // Another process opening the same gallery reuses the saved graph: no new commit is written.
      Gallery again = Gallery.open(store, "h", POOL);
      again.index().prepareHnsw();
      assertThat(again.identify(probe, 1, hnsw).decision().subject()).isEqualTo("obama");
      assertThat(listing(dir)).isEqualTo(built);
      // An enrolment does not cost a rebuild: the new face is searched exactly beside the graph,
      // in this process and in the next one, which still reuses the saved graph.
      new Enroller(engine, store, again, Enroller.Options.DEFAULT)
          .enrollOne(new EnrollItem("lin", TestData.photo("examples/lin-manuel-miranda.png")));
      float[] lin = engine.mostProminent(engine.decode(TestData.photo("examples/lin-manuel-miranda.png"))).orElseThrow().embedding();
      assertThat(again.identify(lin, 1, hnsw).decision().subject()).isEqualTo("lin");
      assertThat(again.index().outsideGraph()).isEqualTo(1);
      Gallery third = Gallery.open(store, "h", POOL);
      third.index().prepareHnsw();
      assertThat(third.identify(lin, 1, hnsw).decision().subject()).isEqualTo("lin");
      assertThat(third.index().outsideGraph()).isEqualTo(1);
      assertThat(listing(dir)).isEqualTo(built);
      // Deleting a subject discards the saved graph, which holds template vectors.
      float[] linTemplate = store.facesOf(store.requireSubject(g.info().id(), "lin").id()).get(0).template();
      store.deleteSubject(g.info().id(), "lin");
      store.checkpoint();
      Path halfBuilt = dir.resolveSibling(dir.getFileName() + ".building"); // as a process killed mid-build leaves it
      Files.createDirectories(halfBuilt);
      Files.write(halfBuilt.resolve("_0.vec"), Templates.encode(linTemplate));
      Gallery.discardSavedIndex(store, g.info());
      assertThat(dir).doesNotExist();
      assertThat(halfBuilt).doesNotExist();
      assertThat(piecesFound(allFiles(home), Templates.encode(linTemplate))).isZero();
    }
  }

  private static Set<String> listing(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return new HashSet<>(s.map(p -> p.getFileName().toString()).toList());
    }
  }

  private static byte[] allFiles(Path home) throws Exception {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    try (var s = Files.walk(home)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        all.write(Files.readAllBytes(p));
      }
    }
    return all.toByteArray();
  }

  @Test
  void killedMidBulkEnrolmentLosesNothingAcknowledgedAndResumesWithoutDuplicates(@TempDir Path home) throws Exception {
    try (GalleryStore store = TestStorage.open(home)) {
      store.createGallery("crash", engine.pack().id(), engine.embedder().dimension());
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
        "-Dlikeness.dataset=" + TestData.dataset().toAbsolutePath(),
        "-D" + TestStorage.PROPERTY + "=" + System.getProperty(TestStorage.PROPERTY, ""), "-cp", System.getProperty("java.class.path"),
        CrashEnrollMain.class.getName(), home.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<Long> acked = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(Long.parseLong(line.split(" ")[1]));
          if (acked.size() == 4) {
            child.destroyForcibly(); // SIGKILL, mid-run
            break;
          }
        }
        assertThat(line).isNotEqualTo("DONE");
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(acked).hasSize(4);
    int total = TestData.allItems().size();
    try (GalleryStore store = TestStorage.open(home)) {
      assertThat(store.integrityCheck()).isEqualTo("ok");
      long gid = store.requireGallery("crash").id();
      for (long id : acked) {
        assertThat(store.face(gid, id)).as("acknowledged face %d survives", id).isPresent();
      }
      assertThat(store.counts(gid)[1]).isBetween(4L, (long) total - 1);
      Gallery g = Gallery.open(store, "crash", POOL);
      List<EnrollOutcome> resumed = new Enroller(engine, store, g, new Enroller.Options(false, false, Enroller.MultiFace.REJECT))
          .run(TestData.allItems(), 2, o -> { });
      assertThat(resumed).noneMatch(o -> o.status() == Status.REJECTED);
      assertThat(resumed.stream().filter(o -> o.status() == Status.ALREADY_ENROLLED).count()).isGreaterThanOrEqualTo(4);
      assertThat(store.counts(gid)[1]).isEqualTo(total);
    }
  }

  @Test
  void concurrentWritersOnOneFileMakeNoDuplicates(@TempDir Path home) throws Exception {
    try (GalleryStore a = TestStorage.open(home); GalleryStore b = TestStorage.open(home)) {
      a.createGallery("c", engine.pack().id(), engine.embedder().dimension());
      List<EnrollItem> items = TestData.allItems();
      Gallery ga = Gallery.open(a, "c", POOL), gb = Gallery.open(b, "c", POOL);
      Thread t1 = new Thread(() -> new Enroller(engine, a, ga, Enroller.Options.DEFAULT).run(items, 1, o -> { }));
      List<Throwable> errors = new ArrayList<>();
      t1.setUncaughtExceptionHandler((t, ex) -> errors.add(ex));
      t1.start();
      new Enroller(engine, b, gb, Enroller.Options.DEFAULT).run(items.reversed(), 1, o -> { });
      t1.join();
      assertThat(errors).isEmpty();
      long faces = a.counts(a.requireGallery("c").id())[1];
      long accepted = new Enroller(engine, a, Gallery.open(a, "c", POOL), Enroller.Options.DEFAULT)
          .run(items, 2, o -> { }).stream().filter(o -> o.status() == Status.ALREADY_ENROLLED).count();
      assertThat(faces).isEqualTo(accepted);
    }
  }

  @Test
  void archiveRoundTripAndVersionCheck(@TempDir Path home, @TempDir Path files) throws Exception {
    try (GalleryStore store = TestStorage.open(home)) {
      Gallery g = create(store, "src");
      new Enroller(engine, store, g, Enroller.Options.DEFAULT)
          .run(BulkSource.folder(TestData.photo("examples/knn_examples/train")), 2, o -> { });
      Path archive = files.resolve("src.json");
      assertThat(GalleryArchive.export(store, g.info(), archive)).isEqualTo(9);
      var copy = GalleryArchive.importFrom(store, archive, "copy");
      assertThat(copy.packId()).isEqualTo(engine.pack().id());
      assertThat(store.counts(copy.id())).containsExactly(5, 9);
      assertThat(identify(Gallery.open(store, "copy", POOL), "examples/knn_examples/test/obama1.jpg").get(0).decision().subject())
          .isEqualTo("obama");
      assertThat(Files.readString(archive)).contains("\"version\":" + GalleryArchive.VERSION);
      Path future = Files.writeString(files.resolve("v9.json"), Files.readString(archive)
          .replace("\"version\":" + GalleryArchive.VERSION, "\"version\":9"));
      Path older = Files.writeString(files.resolve("v1.json"), Files.readString(archive)
          .replace("\"version\":" + GalleryArchive.VERSION, "\"version\":1").replace("\"review\":null,", ""));
      assertThat(store.counts(GalleryArchive.importFrom(store, older, "v1").id())).as("version 1 is still read").containsExactly(5, 9);
      assertThatThrownBy(() -> GalleryArchive.importFrom(store, future, "v9")).hasMessageContaining("version 9");
      assertThat(store.gallery("v9")).isEmpty();
      assertThatThrownBy(() -> GalleryArchive.importFrom(store, archive, null)).hasMessageContaining("already exists");
    }
  }

  /** With a key configured the database file holds no plaintext template; without the key it says so. */
  @Test
  void templatesEncryptedAtRest(@TempDir Path home) throws Exception {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    TemplateCipher cipher = new TemplateCipher(key);
    float[] template;
    try (GalleryStore store = TestStorage.open(home, cipher)) {
      Gallery g = create(store, "enc");
      new Enroller(engine, store, g, new Enroller.Options(true, true, Enroller.MultiFace.REJECT))
          .run(BulkSource.folder(TestData.photo("examples/knn_examples/train")), 2, o -> { });
      template = store.facesOf(store.requireSubject(g.info().id(), "biden").id()).get(0).template();
      store.checkpoint();
      assertThat(identify(Gallery.open(store, "enc", POOL), "examples/knn_examples/test/obama1.jpg").get(0).decision().subject())
          .isEqualTo("obama");
    }
    assertThat(piecesFound(allFiles(home), Templates.encode(template))).as("plaintext template pieces on disk").isZero();
    try (GalleryStore store = TestStorage.open(home)) {
      assertThatThrownBy(() -> Gallery.open(store, "enc", POOL)).isInstanceOf(StoreException.class)
          .hasMessageContaining("LIKENESS_TEMPLATE_KEY");
    }
    byte[] other = key.clone();
    other[0] ^= 1;
    try (GalleryStore store = TestStorage.open(home, new TemplateCipher(other))) {
      assertThatThrownBy(() -> Gallery.open(store, "enc", POOL)).hasMessageContaining("does not decrypt");
    }
  }

  @Test
  void galleryIsPinnedToItsPack(@TempDir Path home) {
    try (GalleryStore store = TestStorage.open(home)) {
      store.createGallery("other", "some-other-pack", 128);
      Gallery g = Gallery.open(store, "other", POOL);
      assertThatThrownBy(() -> new Enroller(engine, store, g, Enroller.Options.DEFAULT))
          .isInstanceOf(StoreException.class).hasMessageContaining("some-other-pack");
      assertThatThrownBy(() -> store.createGallery("bad/name", "p", 1)).hasMessageContaining("path separators");
      assertThatThrownBy(() -> store.createGallery("bad\u0007", "p", 1)).hasMessageContaining("control characters");
    }
  }

  private static byte[] fileBytes(GalleryStore store) throws Exception {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (String suffix : new String[] {"", "-wal", "-journal"}) {
      Path p = Path.of(store.database().sqliteFile() + suffix);
      if (Files.exists(p)) {
        all.write(Files.readAllBytes(p));
      }
    }
    return all.toByteArray();
  }

  /** How many of the 64-byte pieces of {@code data} occur in {@code hay}. */
  private static int piecesFound(byte[] hay, byte[] data) {
    int found = 0;
    for (int off = 0; off + 64 <= data.length; off += 64) {
      found += indexOf(hay, java.util.Arrays.copyOfRange(data, off, off + 64)) >= 0 ? 1 : 0;
    }
    return found;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
