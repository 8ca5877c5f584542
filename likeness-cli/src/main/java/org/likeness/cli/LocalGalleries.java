package org.likeness.cli;

import java.util.Map;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.verify.Verifier;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.scan.ScanService;

/**
 * The installation's gallery service as a shell user reaches it: the store and audit trail under
 * {@code LIKENESS_HOME}, and the actor {@code local:<user>} (a shell user needs no API key, but is
 * accounted for all the same). Audit records are written before results are printed, so an
 * operation whose record cannot be written has no answer either. Closes all three, service first.
 */
final class LocalGalleries implements AutoCloseable {
  private final GalleryStore store;
  private final AuditLog audit;
  private final GalleryService service;
  private final ScanService scans;

  private LocalGalleries(GalleryStore store, AuditLog audit, GalleryService service, FaceEngine engine) {
    this.store = store;
    this.audit = audit;
    this.service = service;
    this.scans = new ScanService(store, service, audit, engine, VideoLimits.DEFAULT);
  }

  /** Opens the installation's galleries; {@code engine} may be null for commands that decode no image. */
  static LocalGalleries open(Map<String, String> env, FaceEngine engine) {
    GalleryStore store = Home.store(env);
    try {
      AuditLog audit = Home.audit(env);
      // Without an engine, a change of subjects that re-decides stored scan decisions reads the
      // pack's threshold and calibration from its manifest (no model is loaded).
      java.util.function.Function<String, Verifier> scales = engine != null ? pack -> engine.verifier()
          : pack -> ModelCache.fromEnvironment(env).open(pack).recognizer().verifier();
      return new LocalGalleries(store, audit, new GalleryService(store, audit, engine, scales), engine);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Who the audit trail names for this shell's operations. */
  static String actor() {
    return "local:" + System.getProperty("user.name", "unknown");
  }

  /** The store (for reads). */
  GalleryStore store() {
    return store;
  }

  /** The audit trail. */
  AuditLog audit() {
    return audit;
  }

  GalleryService service() {
    return service;
  }

  /** Stored scans of photos and videos, over the same store and audit trail. */
  ScanService scans() {
    return scans;
  }

  @Override
  public void close() {
    try (GalleryStore s = store; AuditLog a = audit) {
      service.close();
    }
  }
}
