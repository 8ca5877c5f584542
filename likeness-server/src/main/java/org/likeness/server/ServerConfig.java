package org.likeness.server;

/**
 * Server settings.
 *
 * @param maxUploadBytes largest image request body accepted (413 above)
 * @param maxInFlight engine requests admitted at once, running or waiting; beyond it 503 + Retry-After
 * @param identifyTop default candidates per face
 * @param maxVideoBytes largest video upload accepted (413 above)
 * @param maxQueuedJobs video jobs waiting at once (all servers on the database together); beyond it 503 + Retry-After
 * @param jobLease how long a server's claim on a video job holds between renewals: after a server
 *     dies, its job passes to another this long after its last renewal
 */
public record ServerConfig(long maxUploadBytes, int maxInFlight, int identifyTop, long maxVideoBytes, int maxQueuedJobs,
    java.time.Duration jobLease) {

  /** The image settings, with the default video limits (2 GiB uploads, 8 jobs waiting, 30 s leases). */
  public ServerConfig(long maxUploadBytes, int maxInFlight, int identifyTop) {
    this(maxUploadBytes, maxInFlight, identifyTop, 2L << 30, 8, java.time.Duration.ofSeconds(30));
  }

  /** 25 MB image uploads, 4 engine requests per core in flight, 2 GiB videos, 8 video jobs waiting. */
  public static ServerConfig defaults() {
    return new ServerConfig(25L * 1024 * 1024, 4 * Runtime.getRuntime().availableProcessors(), 5);
  }

  /** These settings with other video job limits. */
  public ServerConfig withVideoLimits(long maxVideoBytes, int maxQueuedJobs) {
    return new ServerConfig(maxUploadBytes, maxInFlight, identifyTop, maxVideoBytes, maxQueuedJobs, jobLease);
  }

  /** These settings with another video job lease. */
  public ServerConfig withJobLease(java.time.Duration lease) {
    return new ServerConfig(maxUploadBytes, maxInFlight, identifyTop, maxVideoBytes, maxQueuedJobs, lease);
  }
}
