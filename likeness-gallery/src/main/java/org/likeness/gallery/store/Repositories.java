package org.likeness.gallery.store;

/**
 * The repositories of one database session, over one transaction handle ({@link GalleryStore},
 * which the others write through): what the composition root opens once and hands to the
 * services, so that no service chooses an implementation.
 *
 * @param galleries galleries, subjects and enrolled faces
 * @param scans scans of media, their sightings and reviewers' verdicts
 * @param clusters unknown-face clusters and the decisions on them
 * @param jobs the servers' video job queue
 */
public record Repositories(GalleryStore galleries, ScanStore scans, ClusterStore clusters, JobStore jobs) implements AutoCloseable {
  public Repositories {
    java.util.Objects.requireNonNull(galleries, "galleries");
    java.util.Objects.requireNonNull(scans, "scans");
    java.util.Objects.requireNonNull(clusters, "clusters");
    java.util.Objects.requireNonNull(jobs, "jobs");
  }

  /**
   * Opens the database where {@code storage} says (creating its schema, migrating it forward) and
   * its repositories on one connection: the JDBC ones, for SQLite and PostgreSQL alike, each
   * database's differences kept in its {@link Database}. With a cipher, templates, crops and kept
   * media written from now on are sealed with it, and sealed ones are read with it.
   */
  public static Repositories open(Storage storage, TemplateCipher cipher) {
    return JdbcGalleryStore.open(storage, cipher).repositories();
  }

  /** Closes the session (the connection every repository shares). */
  @Override
  public void close() {
    galleries.close();
  }
}
