package org.likeness.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.likeness.engine.FaceEngine;

/**
 * One engine per executor JVM, shared by the tasks that run there at once (the engine is
 * thread-safe; loading its models takes seconds and hundreds of MB). The one place this module
 * keeps state in a static field: an executor JVM has no other home for what outlives a task.
 */
final class WorkerEngines {
  private static final Map<EngineSpec, FaceEngine> ENGINES = new ConcurrentHashMap<>();
  private static final Map<String, GallerySnapshot.Matcher> MATCHERS = new ConcurrentHashMap<>();

  private WorkerEngines() {}

  /** The engine {@code spec} describes, opened on first use in this JVM. */
  static FaceEngine engine(EngineSpec spec) {
    return ENGINES.computeIfAbsent(spec, EngineSpec::open);
  }

  /**
   * The search index of a broadcast gallery, built on first use in this JVM (keyed by the snapshot's
   * id). An executor that serves several jobs keeps the latest gallery's only: an index of millions of
   * templates is gigabytes, and a job's broadcast is destroyed when it ends.
   */
  static synchronized GallerySnapshot.Matcher matcher(GallerySnapshot snapshot, FaceEngine engine) {
    if (!MATCHERS.containsKey(snapshot.id())) {
      MATCHERS.clear();
    }
    return MATCHERS.computeIfAbsent(snapshot.id(), k -> snapshot.matcher(engine));
  }
}
