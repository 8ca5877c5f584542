package org.likeness.server.http;

import io.javalin.http.Handler;
import java.util.concurrent.Semaphore;

/**
 * Admits engine requests up to a bound before their body is even read: a full gate answers 503
 * with Retry-After at once, so rejected uploads cost nothing (parsing them would starve the engine
 * under load), and no queue grows without bound.
 */
public final class EngineGate {
  private final Semaphore permits;

  public EngineGate(int maxInFlight) {
    this.permits = new Semaphore(maxInFlight);
  }

  /** {@code h} behind the gate. */
  public Handler gated(Handler h) {
    return ctx -> {
      if (!permits.tryAcquire()) {
        throw new Problem(503, "Busy", "the engine queue is full; retry after the given seconds", 1);
      }
      try {
        h.handle(ctx);
      } finally {
        permits.release();
      }
    };
  }
}
