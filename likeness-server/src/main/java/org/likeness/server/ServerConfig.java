package org.likeness.server;

/**
 * Server settings.
 *
 * @param maxUploadBytes largest request body accepted (413 above)
 * @param maxInFlight engine requests admitted at once, running or waiting; beyond it 503 + Retry-After
 * @param identifyTop default candidates per face
 */
public record ServerConfig(long maxUploadBytes, int maxInFlight, int identifyTop) {

  /** 25 MB uploads, 4 engine requests per core in flight. */
  public static ServerConfig defaults() {
    return new ServerConfig(25L * 1024 * 1024, 4 * Runtime.getRuntime().availableProcessors(), 5);
  }
}
