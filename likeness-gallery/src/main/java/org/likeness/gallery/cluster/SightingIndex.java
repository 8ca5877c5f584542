package org.likeness.gallery.cluster;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.likeness.gallery.search.GraphGate;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.search.SavedGraphDirectory;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.search.TemplateIndex;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;

/**
 * Every sighting of one pack in the gallery's index machinery (exact, int8 or HNSW by size), kept
 * current: each search first adds sightings stored since (by id) and drops deleted ones. The HNSW
 * graph is saved beside the database and reused by later processes while it is nearly current;
 * a graph is installed only if every sighting it holds still exists, and scan deletions discard
 * the saved graphs (they hold template vectors). Thread-safe.
 */
public final class SightingIndex implements AutoCloseable {
  private final GalleryStore store;
  private final ScanStore scans;
  private final String pack;
  private final TemplateIndex index;
  private final Set<Long> loaded = new HashSet<>();
  private long maxId;

  /** The index of {@code pack}'s sightings (templates of {@code dimension} values), loaded on first use. */
  public SightingIndex(GalleryStore store, String pack, int dimension, ForkJoinPool pool) {
    this.store = store;
    this.scans = store.repositories().scans();
    this.pack = pack;
    GraphGate gate = (ids, install) -> store.inTransaction(() -> scans.allExist(ids) && install.getAsBoolean());
    this.index = new TemplateIndex(dimension, pool, new SavedGraphDirectory(dir(store, pack)), gate);
  }

  /** Where a pack's sighting graph is saved. */
  static Path dir(GalleryStore store, String pack) {
    return root(store).resolve(pack.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  private static Path root(GalleryStore store) {
    return store.storage().indexes().resolve("sightings");
  }

  /** Deletes every pack's saved sighting graph (after a scan's deletion: no deleted template may stay readable there). */
  public static void discardSaved(GalleryStore store) {
    Path r = root(store);
    try (var packs = java.nio.file.Files.list(r)) {
      for (Path p : packs.toList()) {
        new SavedGraphDirectory(p).delete();
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing saved
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot discard saved sighting graphs in " + r + ": " + e.getMessage(), e);
    }
  }

  /** Brings the index in step with the store: new sightings added, deleted ones removed. */
  public synchronized void refresh() {
    List<Long> ids = scans.sightingIds(pack);
    if (ids.size() != loaded.size() || (!ids.isEmpty() && ids.getLast() != maxId)) {
      Set<Long> live = new HashSet<>(ids);
      for (Long id : List.copyOf(loaded)) {
        if (!live.contains(id)) {
          index.remove(id);
          loaded.remove(id);
        }
      }
      scans.forEachTemplate(pack, maxId, (id, t) -> {
        if (loaded.add(id)) {
          index.add(id, t);
        }
      });
      maxId = ids.isEmpty() ? 0 : ids.getLast();
    }
  }

  /** The {@code k} most similar sightings, current with the store. */
  public List<Hit> search(float[] probe, int k) {
    refresh();
    return index.search(probe, k, SearchMethod.AUTO);
  }

  /** Sightings held. */
  public int size() {
    return index.size();
  }

  /** Expert: the underlying index (to build or load its graph ahead of searches). */
  public TemplateIndex index() {
    return index;
  }

  @Override
  public void close() {
    index.close();
  }
}
