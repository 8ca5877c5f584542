package org.likeness.gallery.enroll;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.quality.Quality;
import org.likeness.gallery.Gallery;
import org.likeness.gallery.enroll.EnrollOutcome.Status;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.StoreException;
import org.likeness.gallery.store.SubjectInfo;

/**
 * Enrols images: one face per image, checked for quality, stored idempotently (same image and
 * subject give the same face, so a re-run or a resumed run adds nothing twice). Images are
 * decoded, detected and embedded on several threads at once; each face is committed in its own
 * transaction as soon as it is ready, so a crash loses only what was not yet acknowledged. Every
 * outcome is handed to a recorder (the audit trail): a stored face's inside the transaction that
 * stores it, so a face is never kept without its record.
 */
public final class Enroller {

  private final FaceEngine engine;
  private final GalleryStore store;
  private final Gallery gallery;
  private final Options options;
  private final Consumer<EnrollOutcome> record;

  /** What an image with more than one face enrols. */
  public enum MultiFace {
    /** Nothing: the image is rejected, since which face is the subject's is not known. */
    REJECT,
    /** Its largest face. */
    LARGEST,
    /** The face nearest the image centre (face-centred photos such as LFW's, where others may be in the frame). */
    CENTRAL
  }

  /**
   * Enrolment options.
   *
   * @param requireQuality reject faces failing the quality check (else enrol them with their record)
   * @param storeCrops keep the 112x112 aligned crop (off by default: data minimisation)
   * @param multiFace what an image with more than one face enrols
   */
  public record Options(boolean requireQuality, boolean storeCrops, MultiFace multiFace) {
    /** Quality required, no crops, one face per image. */
    public static final Options DEFAULT = new Options(true, false, MultiFace.REJECT);

    public Options {
      java.util.Objects.requireNonNull(multiFace, "multiFace");
    }
  }

  /** An enroller that records nothing (an evaluation's scratch gallery). */
  public Enroller(FaceEngine engine, GalleryStore store, Gallery gallery, Options options) {
    this(engine, store, gallery, options, o -> {});
  }

  /**
   * An enroller handing every outcome to {@code record}: for a face stored, inside the transaction
   * that stores it (a failure there rolls the face back); for any other outcome, after it.
   */
  public Enroller(FaceEngine engine, GalleryStore store, Gallery gallery, Options options, Consumer<EnrollOutcome> record) {
    gallery.requirePack(engine.pack().id());
    this.engine = engine;
    this.store = store;
    this.gallery = gallery;
    this.options = options;
    this.record = record;
  }

  /** Enrols every item with {@code workers} concurrent images; outcomes in input order. */
  public List<EnrollOutcome> run(List<EnrollItem> items, int workers, Consumer<EnrollOutcome> progress) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
      Thread t = new Thread(r, "likeness-enroll");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<EnrollOutcome>> futures = new ArrayList<>();
      for (EnrollItem item : items) {
        futures.add(pool.submit(() -> {
          EnrollOutcome o = enrollOne(item);
          progress.accept(o);
          return o;
        }));
      }
      List<EnrollOutcome> out = new ArrayList<>(items.size());
      for (Future<EnrollOutcome> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("enrolment interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new StoreException(e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Enrols one image file for one subject. */
  public EnrollOutcome enrollOne(EnrollItem item) {
    byte[] data;
    EnrollOutcome refused;
    try {
      if (Files.size(item.image()) > engine.decoder().limits().maxBytes()) {
        refused = rejected(item, null, item.label() + ": file exceeds the limit of " + engine.decoder().limits().maxBytes() + " bytes");
      } else {
        return enroll(item, Files.readAllBytes(item.image()));
      }
    } catch (java.nio.file.NoSuchFileException e) {
      refused = rejected(item, null, item.label() + ": no such file");
    } catch (IOException e) {
      refused = rejected(item, null, item.label() + ": unreadable (" + e.getMessage() + ")");
    }
    record.accept(refused);
    return refused;
  }

  /** Enrols one image given as bytes (an upload: {@link EnrollItem#upload}). */
  public EnrollOutcome enroll(EnrollItem item, byte[] data) {
    boolean[] recorded = {false};
    EnrollOutcome o = attempt(item, data, recorded);
    if (!recorded[0]) {
      record.accept(o);
    }
    return o;
  }

  private EnrollOutcome attempt(EnrollItem item, byte[] data, boolean[] recorded) {
    String sha = sha256(data);
    SubjectInfo existing = store.subject(gallery.info().id(), item.subject()).orElse(null);
    if (existing != null && store.hasFace(existing.id(), sha)) {
      return new EnrollOutcome(item, sha, Status.ALREADY_ENROLLED, -1, null);
    }
    RgbImage img;
    try {
      img = engine.decoder().decode(data, item.label());
    } catch (ImageDecodeException e) {
      return rejected(item, sha, e.getMessage());
    }
    List<Face> faces = engine.detect(img);
    if (faces.isEmpty()) {
      return rejected(item, sha, item.label() + ": no face found");
    }
    if (faces.size() > 1 && options.multiFace() == MultiFace.REJECT) {
      return rejected(item, sha, item.label() + ": " + faces.size() + " faces found; enrolment needs exactly one");
    }
    Face face = options.multiFace() == MultiFace.CENTRAL ? faces.stream().min(FaceEngine.centreFirst(img)).orElseThrow()
        : faces.stream().max(java.util.Comparator.comparingDouble(f -> f.box().area())).orElseThrow();
    Quality q = face.quality();
    if (options.requireQuality() && !q.passed()) {
      return rejected(item, sha, item.label() + ": low quality (" + String.join("; ", q.reasons()) + ")");
    }
    float[] template = engine.embed(List.of(face)).get(0).embedding();
    byte[] crop = options.storeCrops() ? org.likeness.engine.image.ImageEncoder.png(face.aligned()) : null;
    // the subject, the face and the record: one transaction (a kill or a failed record leaves none of them)
    Stored stored = store.inTransaction(() -> {
      SubjectInfo subject = store.ensureSubject(gallery.info().id(), item.subject(), null, null);
      GalleryStore.Added added = store.addFace(gallery.info().id(), subject.id(), sha, face.box(), qualityJson(q), template, crop);
      EnrollOutcome o = new EnrollOutcome(item, sha, added.created() ? Status.ENROLLED : Status.ALREADY_ENROLLED, added.faceId(), null);
      record.accept(o);
      return new Stored(subject, added, o);
    });
    recorded[0] = true;
    if (stored.added().created()) { // the open index learns of the face once it is committed
      gallery.faceAdded(stored.added().faceId(), stored.subject().id(), stored.subject().name(), template);
    }
    return stored.outcome();
  }

  private record Stored(SubjectInfo subject, GalleryStore.Added added, EnrollOutcome outcome) {}

  private static EnrollOutcome rejected(EnrollItem item, String sha, String reason) {
    return new EnrollOutcome(item, sha, Status.REJECTED, -1, reason);
  }

  static String qualityJson(Quality q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("passed", q.passed());
    m.put("reasons", q.reasons());
    m.put("score", q.score());
    m.put("interOcular", q.interOcular());
    m.put("sharpness", q.sharpness());
    m.put("yaw", q.yaw());
    m.put("roll", q.roll());
    m.put("outside", q.outside());
    return org.likeness.gallery.store.StoredJson.quality(m);
  }

  /** Hex sha256 of bytes. */
  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
