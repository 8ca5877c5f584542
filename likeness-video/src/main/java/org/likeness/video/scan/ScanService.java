package org.likeness.video.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.likeness.engine.Face;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.verify.FaceSize;
import org.likeness.engine.verify.SmallFaces;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.link.Carrying;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.MediaLock;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.video.VideoScanner;
import org.likeness.video.decode.VideoDecodeException;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.track.Track;
import org.likeness.video.track.Tracker;

/**
 * Scans that are kept: photos and videos turned into sightings (a photo's faces, a video's
 * tracks), identified against a gallery, stored with their templates and best crops, reviewed,
 * searched again after the gallery changes, exported and deleted for real. Every operation is
 * audited; every front end (CLI, server jobs) goes through here. Thread-safe.
 */
public final class ScanService {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GalleryStore store;
  private final ScanStore scans;
  private final GalleryService galleries;
  private final AuditLog audit;
  private final FaceEngine engine;
  private final VideoLimits limits;
  private final ScanExports exports;
  private final ScanEdits edits;

  /** Scans kept in {@code store}, identified through {@code galleries}, audited to {@code audit}. */
  public ScanService(GalleryStore store, GalleryService galleries, AuditLog audit, FaceEngine engine, VideoLimits limits) {
    this.store = store;
    this.scans = store.repositories().scans();
    this.galleries = galleries;
    this.audit = audit.within(store); // each change's record is written in the change's transaction
    this.engine = engine;
    this.limits = limits;
    this.exports = new ScanExports(scans, this.audit);
    this.edits = new ScanEdits(store, galleries, this.audit);
  }

  /** The store of scans (for reads front ends shape themselves). */
  public ScanStore store() {
    return scans;
  }

  /** What scanning one file came to. */
  public record Outcome(Path path, MediaKind kind, String sha256, Status status, StoredScan scan, String error) {}

  /** Whether a file was scanned now, found already scanned, or could not be scanned. */
  public enum Status {
    SCANNED, SKIPPED, FAILED
  }

  /** How to scan: sampling, decision rule, candidates kept, and whether to scan media already scanned again. */
  public record Options(double fps, MatchPolicy policy, int top, boolean again) {
    /** Refuses a sampling rate that is not 0 (every frame) or positive, and fewer than one candidate. */
    public Options {
      if (!(fps >= 0) || Double.isInfinite(fps)) {
        throw new InvalidInputException("fps must be 0 (every frame) or a positive number of frames per second, not " + fps);
      }
      if (top < 1) {
        throw new InvalidInputException("top must be at least 1, not " + top);
      }
    }
  }

  /**
   * Scans one file unless this pack already scanned the same content for this gallery (then only
   * its sightings are identified again, against {@code gallery} as it is now; the scan keeps its
   * id and its verdicts). Content another gallery's scan has found is not decoded again: its faces
   * are copied into a scan of this gallery's own (a scan never moves between galleries). A damaged
   * video keeps the tracks before the damage (stored, with the error). {@code progress} hears a
   * video's frames; throwing from it (a cancelled job) abandons the file and stores nothing. One
   * writer per media at a time, across processes: a second scan of the same content waits, then
   * finds it scanned.
   *
   * @param label what the media is called in the store and the audit trail: its path, or an upload's given name
   * @param gallery null to store faces without identifying them
   * @param storedFile a copy the installation owns (an upload), deleted with the scan; null for a user's file
   */
  public Outcome scan(String actor, Path file, String label, MediaKind kind, String gallery, Options options, String storedFile,
      VideoScanner.Progress progress) throws IOException {
    Outcome o = scanKeeping(actor, file, label, kind, gallery, options, storedFile, progress);
    if (storedFile != null && o.scan() != null) {
      scans.sealKept(o.scan().media().id()); // kept uploads are sealed at rest when a template key is set
    }
    return o;
  }

  private Outcome scanKeeping(String actor, Path file, String label, MediaKind kind, String gallery, Options options, String storedFile,
      VideoScanner.Progress progress) throws IOException {
    String sha = ContentHash.sha256(file);
    String pack = engine.pack().id();
    try (MediaLock lock = scans.lockMedia(sha)) {
      if (!options.again()) {
        Optional<StoredScan> reuse = scans.scanOf(sha, pack, gallery);
        if (reuse.isEmpty()) {
          // without a gallery any scan of the content will do; with one, a scan made without a gallery is nobody's yet
          reuse = gallery == null ? scans.scansOf(sha, pack).stream().findFirst() : scans.scanOf(sha, pack, null);
        }
        if (reuse.isEmpty() && gallery != null) {
          Optional<StoredScan> other = scans.scansOf(sha, pack).stream().filter(o -> o.error() == null).findFirst();
          if (other.isPresent()) {
            StoredScan copy = keepUpload(scans.copyFor(other.get().id(), gallery, label), storedFile);
            return new Outcome(file, kind, sha, Status.SCANNED, rescanLocked(actor, copy, gallery, options.policy(), options.top()).scan(),
                null);
          }
        }
        if (reuse.isPresent()) {
          StoredScan s = keepUpload(reuse.get(), storedFile);
          if (gallery != null) {
            s = rescanLocked(actor, s, gallery, options.policy(), options.top()).scan();
          }
          return new Outcome(file, kind, sha, Status.SKIPPED, s, null);
        }
      }
      try {
        StoredScan stored = kind == MediaKind.VIDEO
            ? scanVideoLocked(actor, "scan", file, label, sha, gallery, options, storedFile, progress).saved().scan()
            : scanPhoto(actor, file, label, sha, gallery, options, storedFile);
        if (storedFile != null && !storedFile.equals(stored.media().storedFile())) {
          Files.deleteIfExists(Path.of(storedFile)); // the media already keeps a copy of these bytes
        }
        return new Outcome(file, kind, sha, stored.error() == null ? Status.SCANNED : Status.FAILED, stored, stored.error());
      } catch (ImageDecodeException | VideoDecodeException e) {
        audit.append(actor, "scan", gallery, Map.of("media", sha, "path", label), Map.of("error", e.getMessage()));
        return new Outcome(file, kind, sha, Status.FAILED, null, e.getMessage());
      }
    }
  }

  /**
   * After a save: a scan stored again kept its sightings' ids with new templates, which the saved
   * appearance graph (built from the old ones, and checked only for added or removed ids) would
   * go on serving; it is discarded and rebuilt on the next search.
   */
  private ScanStore.Saved kept(ScanStore.Saved saved) {
    if (saved.replaced()) {
      org.likeness.gallery.cluster.SightingIndex.discardSaved(store);
    }
    return saved;
  }

  /** An upload of content scanned before: the installation keeps one copy of its bytes. */
  private StoredScan keepUpload(StoredScan s, String storedFile) throws IOException {
    if (storedFile == null) {
      return s;
    }
    if (s.media().storedFile() == null) {
      scans.keepFile(s.media().id(), storedFile);
    } else if (!s.media().storedFile().equals(storedFile)) {
      Files.deleteIfExists(Path.of(storedFile));
    }
    return scans.requireScan(s.id());
  }

  private StoredScan scanPhoto(String actor, Path file, String label, String sha, String gallery, Options options, String storedFile)
      throws ImageDecodeException, IOException {
    RgbImage image = engine.decode(file);
    List<Face> faces = engine.analyze(image);
    List<Identification> ids = identify(actor, "scan", gallery, sha, label, "photo", faces.stream().map(Face::embedding).toList(),
        faces.stream().map(f -> FaceSize.photo(SmallFaces.widthOf(f.box().width()))).toList(), options);
    List<StoredSighting.New> rows = SightingRows.photo(faces, ids, options.policy(), options.top());
    StoredScan saved = kept(scans.save(new ScanStore.NewMedia(sha, "photo", label, Files.size(file), null, null, image.width(),
        image.height(), storedFile), engine.pack().id(), gallery, null, 1, null, rows)).scan();
    forgetVanished(actor, "scan", gallery, saved.id(), rows);
    return saved;
  }

  /**
   * After a save: a subject deleted or renamed between identifying and storing had its decisions
   * re-made before this scan existed, so this scan's sightings could go on naming it. Those that
   * name a subject the gallery no longer holds are decided again, now. Also for a scan stored by
   * another path (a Spark job's import, identified when the job started); returns how many.
   */
  public int forgetVanished(String actor, String operation, String gallery, long scanId) {
    return forgetVanished(actor, operation, gallery, scanId, null);
  }

  /**
   * As {@link #forgetVanished(String, String, String, long)}, given the rows just stored (null: not
   * known): their decisions are checked first, so the scan (templates and crops) is read back only
   * when one of them names a subject gone.
   */
  private int forgetVanished(String actor, String operation, String gallery, long scanId, List<StoredSighting.New> stored) {
    if (gallery == null) {
      return 0;
    }
    var g = store.gallery(gallery);
    if (g.isEmpty()) {
      return 0;
    }
    Map<String, Boolean> holds = new java.util.HashMap<>(); // one lookup per name
    java.util.function.Predicate<String> vanished = json -> json != null && StoredDecision.read(json).names().stream()
        .anyMatch(n -> !holds.computeIfAbsent(n, x -> store.subject(g.get().id(), x).isPresent()));
    if (stored != null && stored.stream().map(StoredSighting.New::decisionJson).noneMatch(vanished)) {
      return 0;
    }
    List<Long> stale = scans.sightings(scanId).stream().filter(s -> vanished.test(s.decisionJson())).map(StoredSighting::id).toList();
    return stale.isEmpty() ? 0 : galleries.afterVerdicts(actor, operation, gallery, scanId, stale);
  }

  /** A video scanned and kept: its tracks, their identifications (null without a gallery) and what storing it did. */
  public record VideoScanned(String sha256, VideoScanner.Scan scan, List<Identification> ids, ScanStore.Saved saved) {}

  /**
   * Scans a video and keeps it (the {@code video scan} command: always decoded, for its tracks),
   * under the media's lock. An earlier scan of the same content for the same gallery keeps its
   * id, and the verdicts on the tracks found again; {@link ScanStore.Saved} counts any that went.
   */
  public VideoScanned scanVideo(String actor, String operation, Path file, String label, String gallery, Options options,
      VideoScanner.Progress progress) throws VideoDecodeException, IOException {
    String sha = ContentHash.sha256(file);
    try (MediaLock lock = scans.lockMedia(sha)) {
      return scanVideoLocked(actor, operation, file, label, sha, gallery, options, null, progress);
    }
  }

  private VideoScanned scanVideoLocked(String actor, String operation, Path file, String label, String sha, String gallery,
      Options options, String storedFile, VideoScanner.Progress progress) throws VideoDecodeException, IOException {
    VideoScanner.Scan scan = new VideoScanner(engine, limits, Tracker.Options.forPack(engine.pack())).scan(file, options.fps(), progress);
    List<float[]> templates = scan.tracks().stream().map(Track::template).toList();
    List<Integer> links = SightingRows.links(engine.pack(), scan.tracks());
    List<Identification> ids = identify(actor, operation, gallery, sha, label, "video", templates,
        scan.tracks().stream().map(Track::faceSize).toList(), options);
    if (ids != null) {
      ids = SightingRows.carried(engine.verifier().calibration(), links, scan.tracks(), ids);
    }
    List<StoredSighting.New> rows = SightingRows.video(scan.tracks(), links, ids, options.policy(), options.top());
    var info = scan.info();
    ScanStore.NewMedia media = new ScanStore.NewMedia(sha, "video", label, Files.size(file), info.durationSeconds(), info.fps(),
        info.width(), info.height(), storedFile);
    ScanStore.Saved saved = kept(store.inTransaction(() -> { // verdicts dropped by the save and their record: one transaction
      ScanStore.Saved done = scans.save(media, engine.pack().id(), gallery, scan.sampledFps(), scan.sampledFrames(), scan.error(), rows);
      if (done.verdictsDropped() > 0) {
        audit.append(actor, "scan.verdicts.dropped", gallery, Map.of("scan", done.scan().id(), "media", sha),
            Map.of("verdictsDropped", done.verdictsDropped()));
      }
      return done;
    }));
    forgetVanished(actor, operation, gallery, saved.scan().id(), rows);
    // names carried before the kept verdicts were known: a rejected name carries nothing (read only when verdicts were kept)
    List<Long> rejected = gallery == null || saved.verdictsCarried() == 0 ? List.<Long>of()
        : scans.sightings(saved.scan().id()).stream().filter(g -> g.link() != null && g.rejected()).map(StoredSighting::id).toList();
    if (!rejected.isEmpty()) {
      galleries.afterVerdicts(actor, operation, gallery, saved.scan().id(), rejected);
    }
    return new VideoScanned(sha, scan, ids, saved);
  }

  /** Appends the audit record of a scan that searched no gallery (a search appends its own). */
  public void audited(String actor, String operation, Map<String, ?> inputs, int sightings) {
    audit.append(actor, operation, null, inputs, Map.of("sightings", sightings));
  }

  /** Identifies a file's templates (one audit record for the file), or only audits the scan when no gallery is named. */
  private List<Identification> identify(String actor, String operation, String gallery, String sha, String label, String kind,
      List<float[]> templates, List<FaceSize> sizes, Options options) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("media", sha);
    inputs.put("kind", kind);
    inputs.put("path", label);
    if (gallery == null) {
      audited(actor, operation, inputs, templates.size());
      return null;
    }
    return galleries.identifyAll(actor, gallery, operation, inputs, templates, sizes, options.top(), options.policy());
  }

  /** What a rescan changed: the scan as now stored, and each sighting whose decided subject changed. */
  public record Rescan(StoredScan scan, List<Changed> changed) {}

  /**
   * A sighting whose decision a rescan changed: its number ({@code track} of a video or {@code face}
   * of a photo), the subject decided before ({@code "not identified"} when it never was, null when
   * nobody) and after (null: nobody).
   */
  public record Changed(@JsonInclude(JsonInclude.Include.NON_NULL) Integer track, @JsonInclude(JsonInclude.Include.NON_NULL) Integer face,
      String before, String after) {
    /** "track N" or "face N". */
    public String what() {
      return track != null ? "track " + track : "face " + face;
    }
  }

  /**
   * Identifies a stored scan's sightings again against {@code gallery} as it is now (or the gallery
   * it was scanned against when null), keeping reviewers' verdicts; audited. A scan belongs to its
   * gallery: against another gallery, that gallery's own scan of the media is identified (made,
   * from this scan's faces, when it has none), and this one is left as it was.
   */
  public Rescan rescan(String actor, long scanId, String gallery, MatchPolicy policy, int top) {
    StoredScan s = scans.requireScan(scanId);
    String target = gallery != null ? gallery : s.gallery();
    if (target == null) {
      throw new InvalidInputException("scan " + scanId + " was made without a gallery: name one with --gallery");
    }
    if (!s.packId().equals(engine.pack().id())) {
      throw new InvalidInputException("scan " + scanId + " was made with pack " + s.packId() + ", not " + engine.pack().id());
    }
    galleries.searchable(target); // an unknown gallery fails before anything is made
    try (MediaLock lock = scans.lockMedia(s.media().sha256())) {
      StoredScan own = s;
      if (!target.equals(s.gallery())) {
        Optional<StoredScan> theirs = scans.scanOf(s.media().sha256(), s.packId(), target);
        own = theirs.isPresent() ? theirs.get() : s.gallery() == null ? s : scans.copyFor(s.id(), target, "sha256:" + s.media().sha256().substring(0, 12)); // not the other gallery's name for it
      }
      return rescanLocked(actor, scans.requireScan(own.id()), target, policy, top);
    }
  }

  private Rescan rescanLocked(String actor, StoredScan s, String target, MatchPolicy policy, int top) {
    long scanId = s.id();
    List<StoredSighting> sightings = scans.sightings(scanId);
    List<Identification> ids = Carrying.forCalibration(engine.verifier().calibration()).carry(sightings.stream().map(StoredSighting::link).toList(),
        sightings.stream().map(StoredSighting::number).toList(), sightings.stream().map(StoredSighting::template).toList(),
        galleries.identifyAll(actor, target, "rescan", Map.of("scan", scanId, "media", s.media().sha256()),
            sightings.stream().map(StoredSighting::template).toList(), sightings.stream().map(StoredSighting::faceSize).toList(), top,
            policy),
        sightings.stream().map(StoredSighting::rejected).toList());
    Map<Integer, String> decisions = new LinkedHashMap<>();
    List<Changed> changed = new ArrayList<>();
    for (int i = 0; i < sightings.size(); i++) {
      StoredSighting old = sightings.get(i);
      String before = decidedSubject(old.decisionJson());
      String after = ids.get(i).decision() == null ? null : ids.get(i).decision().subject();
      decisions.put(old.number(), StoredDecision.json(ids.get(i), policy, top));
      if (!Objects.equals(before, after) || old.decisionJson() == null) {
        boolean video = s.media().video();
        changed.add(new Changed(video ? old.number() : null, video ? null : old.number(),
            old.decisionJson() == null ? "not identified" : before, after));
      }
    }
    scans.identified(scanId, target, decisions);
    return new Rescan(scans.requireScan(scanId), changed);
  }

  /** A reviewer's edits of stored scans: verdicts, and deletion for real; audited. */
  public ScanEdits edits() {
    return edits;
  }

  /** Writes scans out as files (JSON with crops, CSV); audited. */
  public ScanExports exports() {
    return exports;
  }

  /** What a sighting's stored decision says, for a person to read: the subject, {@code unknown}, or {@code not identified}. */
  public static String subjectOf(StoredSighting s) {
    if (s.decisionJson() == null) {
      return "not identified";
    }
    String who = decidedSubject(s.decisionJson());
    return who == null ? "unknown" : who;
  }

  /** The subject a stored decision names, or null (unknown, or never identified). */
  public static String decidedSubject(String decisionJson) {
    return decisionJson == null ? null : StoredDecision.read(decisionJson).subject();
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
