package org.likeness.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.MediaLock;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;

/**
 * Brings a job's output home: each media file's sightings stored as a scan for the gallery the
 * job identified against (or for none), so that scans, rescans, the review pages, appearances
 * and clustering see them as any other scan. Idempotent by content: media this pack already has
 * a scan of for the gallery is skipped, so importing twice stores once. Each stored scan is audited
 * in the transaction that stores it.
 */
public final class ScanImport {
  /** What an import did. */
  public record Result(long media, long stored, long skipped, long failed, long sightings, List<Long> scans) {}

  private final GalleryStore store;
  private final ScanStore scans;
  private final AuditLog audit;
  private final org.likeness.gallery.store.TemplateCipher cipher;

  /** Imports into {@code store}'s scans, audited to {@code audit}; an output sealed by its job is refused. */
  public ScanImport(GalleryStore store, AuditLog audit) {
    this(store, audit, null);
  }

  /** As {@link #ScanImport(GalleryStore, AuditLog)}, opening an output sealed with {@code cipher}, the installation's template key. */
  public ScanImport(GalleryStore store, AuditLog audit, org.likeness.gallery.store.TemplateCipher cipher) {
    this.cipher = cipher;
    this.store = store;
    this.scans = store.repositories().scans();
    this.audit = audit.within(store); // each scan and its record: one transaction (a re-import skips only what is recorded)
  }

  /**
   * Imports the output in {@code dir} for {@code gallery}: the job must have identified against
   * that gallery, or against none (its scans are then stored without decisions, for a rescan).
   */
  public Result run(SparkSession spark, String dir, String gallery, String actor) throws IOException {
    return run(spark, dir, gallery, actor, scan -> {});
  }

  /**
   * As {@link #run(SparkSession, String, String, String)}, calling {@code afterStore} with each scan
   * just stored, or found stored already (its decisions made when the job started: the caller re-decides those naming a
   * subject deleted since, one scan at a time, so an import that stops half-way leaves none undone).
   * The output is checked against its manifest before anything is stored: a folder copied in part,
   * or rows no job writes, are refused whole.
   */
  public Result run(SparkSession spark, String dir, String gallery, String actor, java.util.function.LongConsumer afterStore)
      throws IOException {
    ScanOutput.Manifest m = ScanOutput.readManifest(dir, spark.sparkContext().hadoopConfiguration());
    OutputSeal seal = m.key() == null ? null : OutputSeal.unwrap(m.job(), m.key(), cipher, dir);
    if (m.gallery() != null && !m.gallery().equals(gallery)) {
      throw new InvalidInputException(dir + " was identified against gallery '" + m.gallery() + "': import it with --gallery "
          + m.gallery() + " (then rescan against another)");
    }
    String target = m.gallery();
    if (gallery != null) {
      org.likeness.gallery.store.GalleryInfo info = store.requireGallery(gallery);
      if (m.galleryIdentity() != null && !m.galleryIdentity().equals(GallerySnapshot.identityOf(info))) {
        // its decisions name faces of that gallery: here they would name others, or none
        throw new InvalidInputException(dir + " was identified against another gallery named '" + gallery + "' (of another "
            + "installation, or one deleted and made again): its decisions are not this gallery's");
      }
      String pack = info.packId();
      if (!pack.equals(m.pack())) {
        throw new InvalidInputException(dir + " holds templates of pack " + m.pack() + "; gallery '" + gallery + "' is of pack " + pack);
      }
    }
    List<Row> mediaRows = spark.read().schema(ScanOutput.MEDIA).parquet(dir + "/media").orderBy("uri").collectAsList();
    OutputCheck.requireWhole(dir, m, mediaRows, spark.read().schema(ScanOutput.SIGHTINGS).parquet(dir + "/sightings").count());
    Map<String, Row> media = new java.util.TreeMap<>(); // by content hash: the order sightings are read in
    long failed = 0;
    for (Row r : mediaRows) {
      if (r.getBoolean(r.fieldIndex("failed"))) {
        failed++;
        Map<String, Object> in = new HashMap<>();
        in.put("path", r.getAs("uri"));
        in.put("job", dir);
        audit.append(actor, "scan.import", target, in, Map.of("error", String.valueOf((Object) r.getAs("error"))));
      } else {
        media.putIfAbsent(r.getAs("sha256"), r);
      }
    }
    long stored = 0, skipped = 0, sightings = 0;
    List<Long> ids = new ArrayList<>();
    Iterator<Row> rows = spark.read().schema(ScanOutput.SIGHTINGS).parquet(dir + "/sightings").orderBy("media", "number")
        .toLocalIterator();
    Row pending = rows.hasNext() ? rows.next() : null;
    for (Map.Entry<String, Row> e : media.entrySet()) {
      String sha = e.getKey();
      List<StoredSighting.New> found = new ArrayList<>();
      // sightings come sorted by media: skip those of media not listed (another file with the same content), take this one's
      while (pending != null && ((String) pending.getAs("media")).compareTo(sha) <= 0) {
        if (pending.getAs("media").equals(sha) && pending.getAs("uri").equals(e.getValue().getAs("uri"))) {
          found.add(OutputCheck.sighting(pending, found.isEmpty() ? 0 : found.getLast().number(), seal, dir));
        }
        pending = rows.hasNext() ? rows.next() : null;
      }
      long decide; // decided again outside the media's lock
      try (MediaLock lock = scans.lockMedia(sha)) {
        Optional<StoredScan> there = scans.scanOf(sha, m.pack(), target);
        if (there.isPresent()) {
          skipped++;
          decide = there.get().id(); // an earlier import may have stopped before deciding it again
        } else {
          StoredScan saved = save(e.getValue(), m, target, dir, actor, found);
          stored++;
          sightings += found.size();
          ids.add(saved.id());
          decide = saved.id();
        }
      }
      afterStore.accept(decide);
    }
    return new Result(media.size() + failed, stored, skipped, failed, sightings, ids);
  }

  /** One media's scan stored with its audit record, in one transaction. */
  private StoredScan save(Row r, ScanOutput.Manifest m, String target, String dir, String actor, List<StoredSighting.New> found) {
    String sha = r.getAs("sha256");
    ScanStore.NewMedia newMedia = new ScanStore.NewMedia(sha, r.getAs("kind"), label(r.getAs("uri")),
        r.getLong(r.fieldIndex("bytes")), r.getAs("duration"), r.getAs("fps"), r.getInt(r.fieldIndex("width")),
        r.getInt(r.fieldIndex("height")), null);
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("media", sha);
    in.put("kind", r.getAs("kind"));
    in.put("path", label(r.getAs("uri")));
    in.put("job", dir);
    return store.inTransaction(() -> {
      StoredScan saved = scans.save(newMedia, m.pack(), target, r.getAs("sampled_fps"), r.getInt(r.fieldIndex("sampled_frames")),
          r.getAs("error"), found).scan();
      Map<String, Object> outcome = new LinkedHashMap<>();
      outcome.put("scan", saved.id());
      outcome.put("sightings", found.size());
      outcome.put("named", found.stream().map(g -> g.decisionJson() == null ? null : StoredDecision.read(g.decisionJson()).subject())
          .filter(n -> n != null).toList());
      audit.append(actor, "scan.import", target, in, outcome);
      return saved;
    });
  }

  /** What a scan calls its media: a local file by its path (as {@code scan} does), any other by its URI. */
  static String label(String uri) {
    return uri.startsWith("file:") ? java.nio.file.Path.of(java.net.URI.create(uri)).toString() : uri;
  }
}
