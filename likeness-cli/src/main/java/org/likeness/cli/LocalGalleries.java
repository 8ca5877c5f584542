package org.likeness.cli;

import java.util.Map;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.GalleryStore;

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

  private LocalGalleries(GalleryStore store, AuditLog audit, GalleryService service) {
    this.store = store;
    this.audit = audit;
    this.service = service;
  }

  /** Opens the installation's galleries; {@code engine} may be null for commands that decode no image. */
  static LocalGalleries open(Map<String, String> env, FaceEngine engine) {
    GalleryStore store = Home.store(env);
    try {
      AuditLog audit = AuditLog.open(Home.of(env));
      return new LocalGalleries(store, audit, new GalleryService(store, audit, engine));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Who the audit trail names for this shell's operations. */
  static String actor() {
    return "local:" + System.getProperty("user.name", "unknown");
  }

  GalleryService service() {
    return service;
  }

  @Override
  public void close() {
    try (GalleryStore s = store; AuditLog a = audit) {
      service.close();
    }
  }
}
