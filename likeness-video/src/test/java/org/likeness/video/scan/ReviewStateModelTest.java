package org.likeness.video.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.gallery.Gallery;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.cluster.ClusterService;
import org.likeness.gallery.cluster.ClusterThresholds;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.gallery.store.SubjectInfo;
import org.likeness.gallery.store.TestStorage;
import org.likeness.video.decode.VideoLimits;

/**
 * A model-based test of the whole review state with the real engine on the fixture photos and
 * clip: seeded random sequences of scan, video scan, rescan, review, enrol, subject
 * delete/merge/rename, scan delete, clusters update/rebuild/name/merge/undo and concurrent scans
 * (two writers on separate connections), checked after every step against the invariants:
 * no verdict is lost unless its sighting or subject was deleted on purpose; every decision names
 * an existing subject and is what identifying the sighting afresh decides; a scan never changes
 * gallery; every sighting is in at most one cluster, and named ones in no cluster of unknown
 * people; every id an operation answered exists. Replay a failure with {@code -Dtests.seed=N}.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ReviewStateModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACTOR = "model";
  private static final List<String> GALLERIES = List.of("g1", "g2");
  private static final List<String> PHOTOS = List.of("examples/obama.jpg", "examples/biden.jpg", "examples/two_people.jpg",
      "examples/knn_examples/test/obama_and_biden.jpg", "examples/knn_examples/test/kit_with_rose.jpg",
      "examples/knn_examples/test/johnsnow_test1.jpg", "examples/knn_examples/test/alex_lacamoire1.jpg",
      "examples/knn_examples/test/obama1.jpg", "tests/test_images/obama2.jpg", "examples/lin-manuel-miranda.png");
  private static final String CLIP = "examples/short_hamilton_clip.mp4";
  private static final String[][] ENROL = {{"obama", "examples/knn_examples/train/obama/obama.jpg"},
      {"obama", "examples/knn_examples/train/obama/obama2.jpg"}, {"biden", "examples/knn_examples/train/biden/biden.jpg"},
      {"biden", "examples/knn_examples/train/biden/biden2.jpg"}, {"kit", "examples/knn_examples/train/kit_harington/john1.jpeg"},
      {"kit", "examples/knn_examples/train/kit_harington/john2.jpeg"}, {"rose", "examples/knn_examples/train/rose_leslie/img1.jpg"},
      {"alex", "examples/knn_examples/train/alex_lacamoire/img1.jpg"}, {"lin", "examples/lin-manuel-miranda.png"}};
  private static final double FPS = 2;

  private static FaceEngine engine;

  @BeforeAll
  static void open() {
    engine = new FaceEngine(ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK), EngineOptions.defaults());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static Path fixture(String rel) {
    return Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition")).resolve(rel);
  }

  @Test
  void randomSequencesKeepTheReviewStateWhole(@TempDir Path root) throws Exception {
    long base = Long.getLong("tests.seed", new Random().nextLong());
    int runs = Integer.getInteger("tests.runs", 3);
    for (int r = 0; r < runs; r++) {
      long seed = base + r;
      try {
        new Run(seed, Files.createDirectories(root.resolve("run-" + r))).go(Integer.getInteger("tests.steps", 30));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("review-state model failed; replay with -Dtests.seed=" + seed + " -Dtests.runs=1: " + e.getMessage(), e);
      }
    }
  }

  /** One seeded sequence over one installation, with the model of what must hold. */
  private static final class Run {
    private final Random random;
    private final Path home;
    private final List<String> log = new ArrayList<>();
    /** The verdicts the model expects: sighting id to (verdict, subject). */
    private final Map<Long, String[]> verdicts = new HashMap<>();
    /** Every scan id an operation answered, with the gallery it first belonged to ("" for none), until deleted on purpose. */
    private final Map<Long, String> scans = new HashMap<>();
    private final Set<String> renamed = new HashSet<>();

    Run(long seed, Path home) {
      this.random = new Random(seed);
      this.home = home;
    }

    void go(int steps) throws Exception {
      try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
          GalleryService galleries = new GalleryService(store, audit, engine);
          ClusterService clusters = new ClusterService(store, galleries, audit, engine.pack().id(), engine.embedder().dimension(),
              ClusterThresholds.forPack(engine.pack()))) {
        ScanService scanning = new ScanService(store, galleries, audit, engine, VideoLimits.DEFAULT);
        for (String g : GALLERIES) {
          galleries.create(ACTOR, g);
        }
        for (int step = 0; step < steps; step++) {
          String op = step(store, audit, galleries, clusters, scanning);
          log.add(op);
          try {
            check(op, galleries, scanning);
          } catch (AssertionError e) {
            throw new AssertionError("after step " + step + " (" + op + "), steps so far " + log + ": " + e.getMessage(), e);
          }
        }
        assertThat(audit.verify().intact()).as("the audit chain verifies").isTrue();
      }
    }

    private MatchPolicy policy(GalleryService galleries) {
      return galleries.policy(null, SearchMethod.EXACT, Aggregation.MAX);
    }

    private ScanService.Options options(GalleryService galleries, boolean again) {
      return new ScanService.Options(FPS, policy(galleries), 3, again);
    }

    private String gallery() {
      return GALLERIES.get(random.nextInt(GALLERIES.size()));
    }

    private String step(GalleryStore store, AuditLog audit, GalleryService galleries, ClusterService clusters, ScanService scanning)
        throws Exception {
      int dice = random.nextInt(100);
      if (dice < 22) { // scan a photo, for a gallery or none
        String photo = PHOTOS.get(random.nextInt(PHOTOS.size()));
        String g = random.nextInt(5) == 0 ? null : gallery();
        ScanService.Outcome o = scanning.scan(ACTOR, fixture(photo), photo, MediaKind.PHOTO, g, options(galleries, false), null,
            (t, i) -> { });
        assertThat(o.status()).as(photo).isNotEqualTo(ScanService.Status.FAILED);
        answered(o.scan(), g);
        return "scan " + photo + " " + g + " -> " + o.status() + " " + o.scan().id();
      }
      if (dice < 26) { // video scan (decoded every time; the same scan kept)
        String g = gallery();
        ScanService.VideoScanned v = scanning.scanVideo(ACTOR, "video.scan", fixture(CLIP), CLIP, g, options(galleries, true), (t, i) -> { });
        assertThat(v.saved().verdictsDropped()).as("the same clip at the same rate finds the same tracks").isZero();
        answered(v.saved().scan(), g);
        return "video scan " + g + " -> " + v.saved().scan().id();
      }
      if (dice < 34) { // rescan a scan, against its gallery or another
        Long id = anyScan();
        if (id == null) {
          return "rescan (no scan)";
        }
        String g = random.nextBoolean() ? null : gallery();
        StoredScan before = scanning.store().requireScan(id);
        if (g == null && before.gallery() == null) {
          g = gallery();
        }
        ScanService.Rescan r = scanning.rescan(ACTOR, id, g, policy(galleries), 3);
        answered(r.scan(), g == null ? before.gallery() : g);
        return "rescan " + id + " " + g + " -> " + r.scan().id();
      }
      if (dice < 48) { // review a decided sighting: confirm, reject, or clear
        List<StoredSighting> decided = new ArrayList<>();
        for (long id : scans.keySet()) {
          scanning.store().sightings(id).stream().filter(s -> ScanService.decidedSubject(s.decisionJson()) != null).forEach(decided::add);
        }
        if (decided.isEmpty()) {
          return "review (nothing decided)";
        }
        StoredSighting s = decided.get(random.nextInt(decided.size()));
        String verdict = switch (random.nextInt(4)) {
          case 0 -> null;
          case 1 -> "rejected";
          default -> "confirmed";
        };
        StoredSighting after = scanning.edits().verdict(ACTOR, s.scanId(), s.number(), verdict);
        if (verdict == null) {
          verdicts.remove(s.id());
        } else {
          verdicts.put(s.id(), new String[] {verdict, ScanService.decidedSubject(s.decisionJson())});
        }
        assertThat(after.id()).isEqualTo(s.id());
        return "review " + s.id() + " " + verdict;
      }
      if (dice < 62) { // enrol a photo of someone
        String[] e = ENROL[random.nextInt(ENROL.length)];
        String g = gallery();
        galleries.enroll(ACTOR, g, List.of(new EnrollItem(e[0], fixture(e[1]))), Enroller.Options.DEFAULT, 1, o -> { });
        return "enrol " + e[0] + " into " + g;
      }
      if (dice < 68) { // delete a subject
        String g = gallery();
        List<SubjectInfo> subjects = galleries.subjects(g);
        if (subjects.isEmpty()) {
          return "delete subject (none)";
        }
        String name = subjects.get(random.nextInt(subjects.size())).name();
        galleries.edits().deleteSubject(ACTOR, g, name);
        forgetVerdicts(scanning, g, name, null);
        return "delete subject " + name + " of " + g;
      }
      if (dice < 73) { // merge one subject into another
        String g = gallery();
        List<SubjectInfo> subjects = galleries.subjects(g);
        if (subjects.size() < 2) {
          return "merge (too few)";
        }
        String from = subjects.get(0).name();
        String into = subjects.get(1).name();
        galleries.edits().merge(ACTOR, g, from, into);
        forgetVerdicts(scanning, g, from, into);
        return "merge " + from + " into " + into + " in " + g;
      }
      if (dice < 77) { // rename a subject
        String g = gallery();
        List<SubjectInfo> subjects = galleries.subjects(g);
        if (subjects.isEmpty()) {
          return "rename (none)";
        }
        String from = subjects.get(random.nextInt(subjects.size())).name();
        String to = from + "-r" + random.nextInt(1000);
        if (galleries.subjects(g).stream().anyMatch(s -> s.name().equals(to))) {
          return "rename (taken)";
        }
        galleries.edits().rename(ACTOR, g, from, to);
        forgetVerdicts(scanning, g, from, to);
        renamed.add(to);
        return "rename " + from + " to " + to + " in " + g;
      }
      if (dice < 80) { // delete a scan on purpose: its verdicts go with it
        Long id = anyScan();
        if (id == null) {
          return "delete scan (none)";
        }
        for (StoredSighting s : scanning.store().sightings(id)) {
          verdicts.remove(s.id());
        }
        scanning.edits().delete(ACTOR, id);
        scans.remove(id);
        return "delete scan " + id;
      }
      if (dice < 84) {
        clusters.update(ACTOR);
        return "clusters update";
      }
      if (dice < 86) {
        clusters.rebuild(ACTOR);
        return "clusters rebuild";
      }
      if (dice < 91) { // name a cluster (a new subject, or joining one, forced)
        clusters.update(ACTOR);
        List<org.likeness.gallery.cluster.ClusterAnswers.Listed> all = clusters.list();
        List<org.likeness.gallery.cluster.ClusterAnswers.Listed> unnamed = all.stream().filter(c -> c.subject() == null).toList();
        if (unnamed.isEmpty()) {
          return "clusters name (none)";
        }
        long id = unnamed.get(random.nextInt(unnamed.size())).cluster();
        String g = gallery();
        String subject = random.nextBoolean() ? "stranger" + random.nextInt(3) : ENROL[random.nextInt(ENROL.length)][0];
        clusters.name(ACTOR, id, g, subject, 0, true);
        return "clusters name " + id + " " + subject + " in " + g;
      }
      if (dice < 94) { // merge two clusters
        clusters.update(ACTOR);
        List<org.likeness.gallery.cluster.ClusterAnswers.Listed> all = clusters.list();
        if (all.size() < 2) {
          return "clusters merge (too few)";
        }
        long a = all.get(0).cluster();
        long b = all.get(1).cluster();
        try {
          clusters.merge(ACTOR, a, b);
        } catch (org.likeness.gallery.store.InvalidInputException | org.likeness.gallery.store.ConflictException refused) {
          return "clusters merge refused: " + refused.getMessage();
        }
        return "clusters merge " + a + " into " + b;
      }
      if (dice < 96) {
        Map<String, Set<String>> before = new HashMap<>();
        for (String g : GALLERIES) {
          before.put(g, new HashSet<>(galleries.subjects(g).stream().map(SubjectInfo::name).toList()));
        }
        try {
          clusters.undo(ACTOR);
        } catch (org.likeness.gallery.store.InvalidInputException nothing) {
          return "clusters undo (nothing)";
        }
        for (String g : GALLERIES) { // undoing a naming that made a subject deletes it, and the verdicts on it go
          Set<String> gone = new HashSet<>(before.get(g));
          galleries.subjects(g).forEach(x -> gone.remove(x.name()));
          gone.forEach(name -> forgetVerdicts(scanning, g, name, null));
        }
        return "clusters undo";
      }
      return concurrentScans(galleries);
    }

    /** Two writers (own connections, own services) scan the same media for the same gallery at once. */
    private String concurrentScans(GalleryService galleries) throws Exception {
      String g = gallery();
      List<String> photos = List.of(PHOTOS.get(random.nextInt(PHOTOS.size())), PHOTOS.get(random.nextInt(PHOTOS.size())));
      MatchPolicy policy = policy(galleries);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<List<ScanService.Outcome>>> runs = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
          runs.add(pool.submit(() -> {
            try (GalleryStore store = TestStorage.open(home); AuditLog audit = AuditLog.open(TestStorage.database(home));
                GalleryService service = new GalleryService(store, audit, engine)) {
              ScanService writer = new ScanService(store, service, audit, engine, VideoLimits.DEFAULT);
              List<ScanService.Outcome> out = new ArrayList<>();
              for (String p : photos) {
                out.add(writer.scan(ACTOR, fixture(p), p, MediaKind.PHOTO, g, new ScanService.Options(FPS, policy, 3, false), null,
                    (t, i) -> { }));
              }
              return out;
            }
          }));
        }
        List<ScanService.Outcome> a = runs.get(0).get();
        List<ScanService.Outcome> b = runs.get(1).get();
        for (int i = 0; i < photos.size(); i++) {
          assertThat(a.get(i).scan().id()).as("both writers answer the one scan of %s", photos.get(i)).isEqualTo(b.get(i).scan().id());
          answered(a.get(i).scan(), g);
        }
        long scannedTwice = 0;
        for (int i = 0; i < photos.size(); i++) {
          if (a.get(i).status() == ScanService.Status.SCANNED && b.get(i).status() == ScanService.Status.SCANNED
              && !photos.get(i).equals(photos.get(1 - i))) {
            scannedTwice++;
          }
        }
        assertThat(scannedTwice).as("no media is decoded by both writers").isZero();
      } finally {
        pool.shutdown();
      }
      return "concurrent scans " + photos + " " + g;
    }

    private Long anyScan() {
      if (scans.isEmpty()) {
        return null;
      }
      List<Long> ids = new ArrayList<>(scans.keySet());
      ids.sort(null);
      return ids.get(random.nextInt(ids.size()));
    }

    private void answered(StoredScan s, String gallery) {
      assertThat(s).as("an answered scan").isNotNull();
      String was = scans.get(s.id());
      if (was != null && !was.isEmpty()) {
        assertThat(s.gallery()).as("scan %d keeps its gallery", s.id()).isEqualTo(was);
      }
      scans.put(s.id(), s.gallery() == null ? "" : s.gallery());
      if (gallery != null) {
        assertThat(s.gallery()).as("scan %d answered for gallery %s", s.id(), gallery).isEqualTo(gallery);
      }
    }

    /** The model's side of a subject deleted ({@code to} null), merged or renamed in gallery {@code g}. */
    private void forgetVerdicts(ScanService scanning, String g, String from, String to) {
      for (var e : new ArrayList<>(verdicts.entrySet())) {
        StoredScan s = scanning.store().requireScan(scanOf(scanning, e.getKey()));
        if (g.equals(s.gallery()) && from.equals(e.getValue()[1])) {
          if (to == null) {
            verdicts.remove(e.getKey());
          } else {
            e.getValue()[1] = to;
          }
        }
      }
    }

    private long scanOf(ScanService scanning, long sightingId) {
      return scanning.store().locate(List.of(sightingId)).get(0).scan().id();
    }

    private static boolean hasCluster(Connection c, long sighting) throws java.sql.SQLException {
      try (var p = c.prepareStatement("SELECT 1 FROM cluster_member WHERE sighting_id = ?")) {
        p.setLong(1, sighting);
        try (ResultSet r = p.executeQuery()) {
          return r.next();
        }
      }
    }

    private void check(String op, GalleryService galleries, ScanService scanning) throws Exception {
      // every answered scan exists, in the gallery it first had
      for (var e : scans.entrySet()) {
        StoredScan s = scanning.store().scan(e.getKey()).orElseThrow(() -> new AssertionError("scan " + e.getKey() + " is gone"));
        if (!e.getValue().isEmpty()) {
          assertThat(s.gallery()).as("scan %d's gallery", s.id()).isEqualTo(e.getValue());
        }
      }
      // no verdict lost
      for (var e : verdicts.entrySet()) {
        List<org.likeness.gallery.store.ScanStore.Located> found = scanning.store().locate(List.of(e.getKey()));
        assertThat(found).as("sighting %d with a verdict exists", e.getKey()).hasSize(1);
        StoredSighting.Verdict v = found.get(0).sighting().verdict();
        assertThat(v).as("the verdict on sighting %d", e.getKey()).isNotNull();
        assertThat(v.verdict()).isEqualTo(e.getValue()[0]);
        assertThat(v.subject()).as("the subject of the verdict on sighting %d", e.getKey()).isEqualTo(e.getValue()[1]);
      }
      // every decision names existing subjects and is what a fresh identification decides
      Map<String, Gallery> searchable = new HashMap<>();
      for (StoredScan s : scanning.store().scans()) {
        List<StoredSighting> all = scanning.store().sightings(s.id());
        List<StoredSighting> decided = all.stream().filter(g -> g.decisionJson() != null).toList();
        List<Identification> fresh = new ArrayList<>();
        for (StoredSighting g : decided) {
          StoredDecision stored = StoredDecision.read(g.decisionJson());
          Gallery gallery = searchable.computeIfAbsent(s.gallery(), galleries::searchable);
          // the rule it was decided by (an FPIR target at the gallery's size now, with its floor and ambiguity)
          MatchPolicy rule = stored.rule(engine.verifier().calibration(), engine.verifier().smallFaces(), engine.verifier().threshold());
          // a small face was decided as one at the width its boxes give
          assertThat(stored.smallFace() != null).as("sighting %d decided as a small face", g.id())
              .isEqualTo(engine.verifier().smallFaces() != null && engine.verifier().smallFaces().applies(g.faceWidth()));
          fresh.add(gallery.identify(g.template(), g.faceSize(), stored.top(), rule));
        }
        // and names carried along the scan's track links, as a scan carries them
        fresh = org.likeness.gallery.link.Carrying.forCalibration(engine.verifier().calibration()).carry(
            decided.stream().map(StoredSighting::link).toList(), decided.stream().map(StoredSighting::number).toList(),
            decided.stream().map(StoredSighting::template).toList(), fresh,
            decided.stream().map(StoredSighting::rejected).toList());
        for (int i = 0; i < decided.size(); i++) {
          StoredSighting g = decided.get(i);
          assertThat(s.gallery()).as("a decided sighting belongs to a gallery's scan").isNotNull();
          Set<String> subjects = new HashSet<>();
          galleries.subjects(s.gallery()).forEach(x -> subjects.add(x.name()));
          JsonNode d = JSON.readTree(g.decisionJson());
          for (JsonNode c : d.path("candidates")) {
            assertThat(subjects).as("candidate of sighting %d of scan %d", g.id(), s.id()).contains(c.path("subject").asText());
          }
          StoredDecision stored = StoredDecision.read(g.decisionJson());
          if (stored.subject() != null) {
            assertThat(subjects).contains(stored.subject());
          }
          assertThat(stored.subject()).as("sighting %d of scan %d is decided as a fresh identification decides", g.id(), s.id())
              .isEqualTo(fresh.get(i).decision() == null ? null : fresh.get(i).decision().subject());
          assertThat(stored.carriedFrom()).as("sighting %d of scan %d: where its name came from", g.id(), s.id())
              .isEqualTo(fresh.get(i).carried() == null ? null : fresh.get(i).carried().from());
          List<String> storedCandidates = new ArrayList<>();
          d.path("candidates").forEach(c -> storedCandidates.add(c.path("subject").asText()));
          assertThat(storedCandidates).as("candidates of sighting %d", g.id())
              .isEqualTo(fresh.get(i).candidates().stream().map(c -> c.subject()).toList());
        }
      }
      // clusters, right after an update: every unknown sighting is in exactly one cluster (the
      // member key makes it at most one), and no named one is in a cluster of unknown people
      if (op.equals("clusters update")) {
        try (Connection c = TestStorage.database(home).connect(); Statement st = c.createStatement();
            ResultSet r = st.executeQuery("SELECT g.id, g.decision, g.verdict, k.subject, k.id, m.pinned, k.locked, s.gallery "
                + "FROM sighting g JOIN scan s ON s.id = g.scan_id "
                + "LEFT JOIN cluster_member m ON m.sighting_id = g.id LEFT JOIN cluster k ON k.id = m.cluster_id")) {
          while (r.next()) {
            String subject = r.getString(2) == null ? null : StoredDecision.read(r.getString(2)).subject();
            boolean unknown = subject == null || "rejected".equals(r.getString(3));
            boolean clustered = r.getObject(4) != null || hasCluster(c, r.getLong(1));
            if (unknown) {
              assertThat(clustered).as("unknown sighting %d is in a cluster", r.getLong(1)).isTrue();
            } else if (clustered) {
              assertThat(r.getString(4)).as("named sighting %d (%s, scan of %s) is in no cluster of unknown people (in %d, pinned %d, "
                  + "locked %d)", r.getLong(1), subject, r.getString(8), r.getLong(5), r.getInt(6), r.getInt(7))
                  .isNotNull();
            }
          }
        }
      }
    }
  }
}
