package org.likeness.gallery.search;

import java.util.function.BooleanSupplier;

/**
 * Decides, at the moment a freshly built graph would be saved and served, whether every face it
 * holds still exists in the system of record (another process may have deleted one while it was
 * built). The gallery implements it under the store's write lock, so no deletion can commit
 * between the check and the install.
 */
@FunctionalInterface
public interface GraphGate {
  /** A gate for indexes with no system of record behind them (tests, benchmarks): always open. */
  GraphGate OPEN = (faceIds, install) -> install.getAsBoolean();

  /** Runs {@code install} if every face in {@code faceIds} still exists; returns whether it ran and succeeded. */
  boolean installIfLive(long[] faceIds, BooleanSupplier install);
}
