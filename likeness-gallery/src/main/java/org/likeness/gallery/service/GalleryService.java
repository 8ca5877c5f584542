package org.likeness.gallery.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.function.Function;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.verify.SmallFaces;
import org.likeness.engine.verify.Verifier;
import org.likeness.gallery.Gallery;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.EnrollOutcome;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.io.GalleryArchive;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.FpirRule;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.NotFoundException;
import org.likeness.gallery.store.StoredFace;
import org.likeness.gallery.store.SubjectInfo;

/**
 * Every gallery operation, once, for every front end (CLI, REST, later video and clustering): it
 * checks the pack, runs the store's steps in the right order (a deletion is committed, checkpointed
 * out of the WAL, its saved graph discarded, and the open index brought in step), appends the
 * audit record, and returns the answer in the shape front ends print ({@link Shapes}). Open
 * galleries are cached per process and catch up with other processes' changes on every read.
 * The engine may be null for front ends that never decode images (subject management).
 * Thread-safe.
 */
public final class GalleryService implements AutoCloseable {
  private final GalleryStore store;
  private final AuditLog audit;
  private final FaceEngine engine;
  private final ForkJoinPool searchPool;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GalleryService.class);
  private final Map<Long, Gallery> open = new ConcurrentHashMap<>();
  private final ScanDecisions decisions;
  private final EnrolmentHygiene hygiene;
  private final SubjectEdits edits;
  private final SuspectFaces suspectFaces;
  /**
   * A face agrees with its subject when its median similarity to the subject's other faces reaches
   * the pack's threshold at this false-match rate per comparison (genuine pairs clear it 99.85 % of
   * the time on LFW, impostors 1 %): enrolment hygiene's line.
   */
  public static final double HYGIENE_FMR = 1e-2;

  /** A service over {@code store}, auditing to {@code audit}; {@code engine} may be null (no image operations). */
  public GalleryService(GalleryStore store, AuditLog audit, FaceEngine engine) {
    this(store, audit, engine, engine == null ? null : pack -> pack.equals(engine.pack().id()) ? engine.verifier()
        : manifestScale(pack));
  }

  /** A pack's threshold and calibration read from its manifest in the model cache (a gallery of another pack than the engine's). */
  private static Verifier manifestScale(String pack) {
    return org.likeness.engine.model.ModelCache.fromEnvironment(System.getenv()).open(pack).recognizer().verifier();
  }

  /**
   * As {@link #GalleryService(GalleryStore, AuditLog, FaceEngine)}, with {@code scales} giving a
   * pack's default threshold and calibration by pack id, which re-deciding stored scan decisions
   * after a change of subjects needs (a front end without an engine reads them from the pack).
   */
  public GalleryService(GalleryStore store, AuditLog audit, FaceEngine engine, Function<String, Verifier> scales) {
    this.store = store;
    this.audit = audit.within(store); // each change's record is written in the change's transaction
    this.engine = engine;
    this.decisions = new ScanDecisions(store, this.audit, scales, this::searchable);
    this.hygiene = new EnrolmentHygiene(store, scales);
    this.edits = new SubjectEdits(store, this.audit, decisions, this::changed);
    this.suspectFaces = new SuspectFaces(store, this.audit, hygiene, decisions, this::changed);
    this.searchPool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
  }


  private FaceEngine engine() {
    if (engine == null) {
      throw new IllegalStateException("this operation needs the face engine, and the service was opened without one");
    }
    return engine;
  }

  // ---- galleries

  /** Creates a gallery pinned to a pack. */
  public GalleryInfo create(String actor, String name, String packId, int dimension) {
    return store.inTransaction(() -> {
      GalleryInfo g = store.createGallery(name, packId, dimension);
      audit.append(actor, "gallery.create", g.name(), Map.of("pack", g.packId()), Map.of("gallery", g.id()));
      return g;
    });
  }

  /** Creates a gallery pinned to the engine's pack. */
  public GalleryInfo create(String actor, String name) {
    return create(actor, name, engine().pack().id(), engine().embedder().dimension());
  }

  /**
   * Sets whether enrolment in {@code gallery} keeps each face's crop for reviewers to compare matches
   * with; turning it off deletes the crops kept, for real. Audited.
   */
  public Answers.CropsSet keepCrops(String actor, String gallery, boolean keep) {
    GalleryInfo g = store.requireGallery(gallery);
    Answers.CropsSet m = store.inTransaction(() -> {
      Answers.CropsSet set = new Answers.CropsSet(g.name(), keep, store.keepCrops(g.id(), keep));
      audit.append(actor, "gallery.crops", g.name(), Map.of("keepCrops", keep), Answers.fields(set));
      return set;
    });
    if (m.cropsDeleted() > 0) {
      store.checkpoint(); // the WAL's copy of the pages goes too
    }
    return m;
  }

  /**
   * After reviewers' verdicts on sightings of one scan of {@code gallery}: those sightings and the
   * tracks linked with them are decided again, so that a name a reviewer rejected is carried to no
   * other track (and carried again when the rejection is withdrawn). Returns the decisions rewritten.
   */
  public int afterVerdicts(String actor, String operation, String gallery, long scanId, java.util.Collection<Long> sightingIds) {
    return decisions.afterVerdicts(new ScanDecisions.Cause(actor, operation), store.requireGallery(gallery), scanId,
        java.util.Set.copyOf(sightingIds)).rewritten();
  }

  /** Every gallery with its counts, by name ({@link Shapes#gallery}). */
  public List<Answers.GallerySummary> galleries() {
    return store.galleries().stream().map(this::summary).toList();
  }

  /** One gallery with its counts. */
  public Answers.GallerySummary stats(String gallery) {
    return summary(store.requireGallery(gallery));
  }

  private Answers.GallerySummary summary(GalleryInfo g) {
    long[] c = store.counts(g.id());
    return Answers.GallerySummary.of(g, c[0], c[1]);
  }

  /**
   * A gallery ready for search: pinned to the engine's pack, and current with every change
   * committed so far by any process.
   */
  public Gallery searchable(String name) {
    return searchable(name, engine().pack().id());
  }

  /** As {@link #searchable(String)} for a caller that knows its pack without an engine (a search by stored templates). */
  public Gallery searchable(String name, String packId) {
    Gallery g = cached(store.requireGallery(name));
    g.requirePack(packId);
    g.refresh();
    return g;
  }

  /** The open gallery for this record (a gallery re-created under the same name is another id, another cache). */
  private Gallery cached(GalleryInfo info) {
    return open.computeIfAbsent(info.id(), id -> Gallery.open(store, info.name(), searchPool));
  }

  /** Brings an open gallery in step after another server changed it (its change notification); unopened ones wait for their first search. */
  public void changedElsewhere(long galleryId) {
    Gallery g = open.get(galleryId);
    if (g != null) {
      g.refresh();
    }
  }

  /** Brings every open gallery in step (after a gap in the change notifications). */
  public void refreshAll() {
    for (Gallery g : open.values()) {
      try {
        g.refresh();
      } catch (RuntimeException e) { // a gallery deleted meanwhile: its next search says so
        LOG.debug("refreshing gallery {} failed", g.info().name(), e);
      }
    }
  }

  /** Brings an open gallery in step after a change made here (others catch up on their next read). */
  private void changed(GalleryInfo info) {
    Gallery g = open.get(info.id());
    if (g != null) {
      g.refresh();
    }
  }

  /** Writes a gallery archive; returns the faces written. */
  public int export(String actor, String gallery, Path file) throws IOException {
    GalleryInfo g = store.requireGallery(gallery);
    int faces = GalleryArchive.export(store, g, file);
    audit.append(actor, "gallery.export", g.name(), Map.of("file", file.toAbsolutePath().toString()), Map.of("faces", faces));
    return faces;
  }

  /** Creates a gallery from an archive (one transaction); returns its summary. */
  public Answers.GallerySummary importArchive(String actor, Path file, String as) throws IOException {
    GalleryInfo g = GalleryArchive.importFrom(store, file, as, imported -> {
      Answers.GallerySummary m = summary(imported);
      audit.append(actor, "gallery.import", imported.name(), Map.of("file", file.toAbsolutePath().toString()),
          Map.of("subjects", m.subjects(), "faces", m.faces()));
    });
    return summary(g);
  }

  // ---- enrolment

  /** Enrols files with {@code workers} images at once; one audit record per image as it is stored, outcomes in input order. */
  public List<EnrollOutcome> enroll(String actor, String gallery, List<EnrollItem> items, Enroller.Options options,
      int workers, Consumer<EnrollOutcome> progress) {
    Gallery g = searchable(gallery);
    long before = decisions.lastFace(g.info());
    // each face's record in the transaction that stores it: a killed run stays accounted for
    Enroller enroller = new Enroller(engine(), store, g, withGalleryCrops(g, options), o -> auditEnrolment(actor, g.info(), o));
    List<EnrollOutcome> out = enroller.run(items, workers, progress);
    afterEnrolment(actor, g.info(), before, out.stream().filter(o -> o.status() == EnrollOutcome.Status.ENROLLED)
        .map(o -> o.item().subject()).toList());
    return out;
  }

  /** The options, keeping crops when asked or when the gallery keeps them (read now: an open gallery's info may predate a change). */
  private Enroller.Options withGalleryCrops(Gallery g, Enroller.Options o) {
    return new Enroller.Options(o.requireQuality(), o.storeCrops() || store.requireGallery(g.info().name()).keepCrops(), o.multiFace());
  }

  /** Enrols one image given as bytes (an upload). */
  public EnrollOutcome enroll(String actor, String gallery, String subject, byte[] image) {
    Gallery g = searchable(gallery);
    long before = decisions.lastFace(g.info());
    EnrollOutcome o = new Enroller(engine(), store, g, withGalleryCrops(g, Enroller.Options.DEFAULT), r -> auditEnrolment(actor, g.info(), r))
        .enroll(EnrollItem.upload(subject), image);
    afterEnrolment(actor, g.info(), before, o.status() == EnrollOutcome.Status.ENROLLED ? List.of(subject) : List.of());
    return o;
  }

  /** A face to enrol that was found and embedded before (a reviewed sighting): its source's identity, box, quality, template, crop. */
  public record TemplateFace(String source, org.likeness.engine.geom.Box box, String qualityJson, float[] template, byte[] cropPng) {}

  /**
   * Enrols faces found earlier (a named cluster's sightings) under {@code subject}, created when
   * absent, in one transaction; audited. Returns the face ids (existing ones for a source enrolled before).
   */
  public List<Long> enrolTemplates(String actor, String gallery, String subject, List<TemplateFace> faces) {
    GalleryInfo g = store.requireGallery(gallery);
    if (engine != null) {
      cached(g).requirePack(engine.pack().id());
    }
    long before = decisions.lastFace(g);
    List<Long> ids = store.inTransaction(() -> {
      SubjectInfo s = store.ensureSubject(g.id(), subject, null, List.of());
      List<Long> out = new ArrayList<>();
      for (TemplateFace f : faces) {
        if (f.template().length != g.dimension()) {
          throw new InvalidInputException("a template of " + f.template().length + " values for a gallery of " + g.dimension());
        }
        out.add(store.addFace(g.id(), s.id(), f.source(), f.box(), f.qualityJson(), f.template(), f.cropPng()).faceId());
      }
      audit.append(actor, "enroll.sightings", g.name(), Map.of("subject", subject, "sources", faces.stream().map(TemplateFace::source).toList()),
          Map.of("faces", out));
      return out;
    });
    changed(g);
    afterEnrolment(actor, g, before, List.of(subject));
    return ids;
  }

  /**
   * After faces were enrolled for these subjects: enrolment hygiene on the subjects (suspects leave
   * the searches), then the stored scan decisions the change concerns are re-decided.
   */
  private void afterEnrolment(String actor, GalleryInfo g, long lastFaceBefore, List<String> subjects) {
    List<SubjectInfo> touched = subjects.stream().distinct().map(n -> store.subject(g.id(), n)).flatMap(Optional::stream).toList();
    EnrolmentHygiene.Checked c = touched.isEmpty() ? null : hygiene.check(g, touched, checked -> {
      if (!(checked.flagged().isEmpty() && checked.cleared().isEmpty())) { // in the transaction that writes the flags
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("flagged", checked.flagged());
        out.put("cleared", checked.cleared());
        audit.append(actor, "enroll.check", g.name(), Map.of("subjects", checked.subjects()), out);
      }
    });
    changed(g);
    ScanDecisions.Cause cause = new ScanDecisions.Cause(actor, "enroll");
    decisions.afterEnrolment(cause, g, lastFaceBefore);
    if (c != null && !(c.flagged().isEmpty() && c.cleared().isEmpty())) {
      decisions.afterReview(cause, g, c.subjects(), c.flagged(), c.clearedTemplates());
    }
  }

  /** Enrolment hygiene's suspects: the check, the list, and a person's confirmation. */
  public SuspectFaces suspectFaces() {
    return suspectFaces;
  }

  private void auditEnrolment(String actor, GalleryInfo g, EnrollOutcome o) {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("images", o.sha256() == null ? List.of() : List.of(o.sha256()));
    in.put("subject", o.item().subject());
    audit.append(actor, "enroll", g.name(), in, Answers.fields(Shapes.enrollResult(o)));
  }

  // ---- identification

  /** The decision rule: at a target false-match rate when given, else at the pack's threshold. */
  public MatchPolicy policy(Double fmr, SearchMethod method, Aggregation aggregation) {
    return policy(fmr, null, method, aggregation);
  }

  /**
   * The decision rule: at a false-match rate per comparison when {@code fmr} is given; else at a
   * target FPIR per probe ({@code fpir}, default {@link FpirRule#DEFAULT}), the threshold then the
   * gallery's own for its size and never below the pack's default. A pack without a calibration
   * decides at its threshold.
   */
  public MatchPolicy policy(Double fmr, Double fpir, SearchMethod method, Aggregation aggregation) {
    return MatchPolicy.of(fmr, fpir, method, aggregation, engine().verifier(), engine().pack().id());
  }

  /**
   * Expert, for one-shot processes: loads the saved HNSW graph, or builds it once, when
   * {@code policy} will search this gallery by HNSW (a server leaves that to the background).
   * {@code beforeWait} hears the template count when there is no graph yet (the wait may be long).
   */
  public void prepare(String gallery, MatchPolicy policy, java.util.function.IntConsumer beforeWait) {
    Gallery g = searchable(gallery);
    if (policy.method().resolve(g.index().size()) != SearchMethod.HNSW) {
      return;
    }
    if (!g.index().hasGraph()) {
      beforeWait.accept(g.index().size());
    }
    g.index().prepareHnsw();
  }

  /** Who is in one image: every face found, each with its identification, audited. */
  public Identified identify(String actor, String gallery, byte[] image, String label, int top, MatchPolicy policy)
      throws ImageDecodeException {
    Gallery g = searchable(gallery);
    String sha = Enroller.sha256(image);
    List<Face> faces = engine().analyze(engine().decoder().decode(image, label));
    List<Identification> ids = new ArrayList<>(faces.size());
    for (Face f : faces) {
      ids.add(g.identify(f.embedding(), SmallFaces.widthOf(f.box().width()), top, policy));
    }
    audit.append(actor, "identify", g.info().name(), Map.of("images", List.of(sha)),
        Map.of("faces", ids.stream().map(Shapes::audited).toList()));
    return new Identified(sha, faces, ids);
  }

  /** Identification of a template made elsewhere with the same pack, audited. */
  public Identification identify(String actor, String gallery, float[] template, int top, MatchPolicy policy) {
    Gallery g = searchable(gallery);
    Identification id = g.identify(template, top, policy);
    audit.append(actor, "identify", g.info().name(), Map.of("embeddings", 1), Map.of("faces", List.of(Shapes.audited(id))));
    return id;
  }

  /**
   * Identifies several templates made elsewhere with the same pack (a video's tracks), appending
   * one audit record for the whole operation: {@code inputs} describe the media, the results list
   * each template's decision; {@code sizes} gives each template's face width ({@link SmallFaces#widthOf},
   * NaN when unknown) and the frames it was seen in.
   */
  public List<Identification> identifyAll(String actor, String gallery, String operation, Map<String, ?> inputs,
      List<float[]> templates, List<org.likeness.engine.verify.FaceSize> sizes, int top, MatchPolicy policy) {
    Gallery g = searchable(gallery);
    List<Identification> ids = new ArrayList<>(templates.size());
    for (int i = 0; i < templates.size(); i++) {
      ids.add(g.identify(templates.get(i), sizes.get(i), top, policy));
    }
    audit.append(actor, operation, g.info().name(), inputs, Map.of("tracks", ids.stream().map(Shapes::audited).toList()));
    return ids;
  }

  /** What {@link #identify} found in one image: its sha256, the faces, and each face's identification (same order). */
  public record Identified(String sha256, List<Face> faces, List<Identification> identifications) {}

  // ---- subjects and faces

  /** Renaming, merging, moving and deleting subjects and faces ({@link SubjectEdits}). */
  public SubjectEdits edits() {
    return edits;
  }

  /** The subjects of a gallery, by name. */
  public List<SubjectInfo> subjects(String gallery) {
    return store.subjects(store.requireGallery(gallery).id());
  }

  /** A subject with its faces ({@link Shapes#subject} plus {@code faceList}). */
  public Answers.SubjectShown subject(String gallery, String name) {
    GalleryInfo g = store.requireGallery(gallery);
    SubjectInfo s = store.requireSubject(g.id(), name);
    Map<Long, String> reviews = store.reviews().of(s.id());
    return new Answers.SubjectShown(Shapes.subject(s), store.facesOf(s.id()).stream()
        .map(f -> new Answers.FaceListed(f.id(), f.imageSha256(), Shapes.box(f.box()), f.cropPng() != null, f.created().toString(),
            reviews.get(f.id())))
        .toList());
  }

  /** The stored aligned crop of a face, if crops were kept. */
  public Optional<byte[]> faceCrop(String gallery, long faceId) {
    GalleryInfo g = store.requireGallery(gallery);
    StoredFace f = store.face(g.id(), faceId)
        .orElseThrow(() -> new NotFoundException("no face " + faceId + " in gallery " + g.name()));
    return Optional.ofNullable(f.cropPng());
  }

  /** Closes the open galleries (background graph builds stop) and the search pool; the store and audit log stay the caller's. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (Gallery g : open.values()) {
      try {
        g.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    open.clear();
    searchPool.shutdownNow();
    if (first != null) {
      throw first;
    }
  }
}
