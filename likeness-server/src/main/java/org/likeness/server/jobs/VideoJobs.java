package org.likeness.server.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.JobStore;
import org.likeness.gallery.store.SealedMedia;
import org.likeness.gallery.store.StoredJob;
import org.likeness.video.scan.MediaKind;
import org.likeness.video.scan.ScanService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's video jobs: uploads scanned one at a time by a worker thread (the engine already uses
 * every core) from the queue in the database, which every server sharing the database works from.
 * A job is claimed with a lease renewed on a clock while its scan goes on ({@link JobStore}); a server that dies leaves
 * its job to whichever server claims it after the lease, which runs it from the start; a server that
 * stops cleanly puts its running job back in the queue. Jobs whose upload is gone when claimed fail
 * with the reason. At most {@code capacity} jobs wait (beyond it the caller answers 503). After each
 * scan, {@code afterScan} hears the job's actor (the server places new unknown faces).
 */
public final class VideoJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VideoJobs.class);
  /**
   * How long a running job's claim is renewed without a frame read, once frames have come: the steps
   * after the last one (linking, identifying, saving) take far less.
   */
  private static final long STALL_NANOS = TimeUnit.MINUTES.toNanos(10);
  /** Time between two lease renewals (with the progress) of a running job. */
  private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  /** How often an idle worker looks for a job another server queued. */
  private static final long POLL_MILLIS = 250;

  private final ScanService scans;
  private final JobStore store;
  /** The store the jobs are kept in: a job and its audit record commit together. */
  private final org.likeness.gallery.store.GalleryStore transactions;
  private final AuditLog audit;
  private final Path uploads;
  private final java.util.regex.Pattern uploadPath;
  private final ScanScratch scratch;
  /**
   * The worker's claims, renewals and ends on a connection of their own: on the shared one they
   * would wait behind this server's requests (an enrolment waiting for the database's write lock),
   * and a lease could run out while the scan is well.
   */
  private final JobStore leases;
  private final GalleryStore leaseConnection;
  /** How long a server that could not open a sealed upload claims no job (another server, with the key, takes it). */
  static final Duration PAUSE_AFTER_FAULT = Duration.ofSeconds(30);
  private volatile long pausedUntil = System.nanoTime();
  private final int capacity;
  private final Duration lease;
  /** This server's name in the jobs it claims. */
  private final String owner;
  private final Map<String, Boolean> cancelled = new ConcurrentHashMap<>();
  /** When ended jobs' uploads were last swept (the worker thread's alone). */
  private long lastSweep = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
  private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
  private final Thread worker;
  /** Renews the running job's claim on a clock, through every step of a scan (decrypting, hashing, waiting for the media, linking, saving), not only as frames are read. */
  private final java.util.concurrent.ScheduledExecutorService keepAlive;
  private final PolicySource policies;
  private final java.util.function.Consumer<String> afterScan;
  private volatile boolean closing;
  private volatile String current;

  /** The decision rule for a job's gallery, chosen when the job runs: at the job's target FPIR (null: the default). */
  @FunctionalInterface
  public interface PolicySource {
    MatchPolicy policy(Double fpir);
  }

  /**
   * Jobs kept in {@code scans}' store, uploads under {@code uploads} (a folder every server sharing
   * the database reaches), at most {@code capacity} waiting, claims held for {@code lease} between
   * renewals. Starts the worker, which also takes up what a previous server left.
   */
  public VideoJobs(ScanService scans, AuditLog audit, Path uploads, int capacity, Duration lease, PolicySource policies,
      java.util.function.Consumer<String> afterScan) throws IOException {
    this.afterScan = afterScan;
    this.scans = scans;
    this.transactions = scans.store().store();
    this.store = transactions.repositories().jobs();
    this.audit = audit.within(transactions); // a job's record is written in the transaction that queues or ends it
    this.uploads = uploads.getFileSystem().supportedFileAttributeViews().contains("posix") && !Files.isDirectory(uploads)
        ? Files.createDirectories(uploads, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
        : Files.createDirectories(uploads); // footage: owner only, like the files in it
    this.scratch = new ScanScratch(Path.of(System.getProperty("java.io.tmpdir")), hostName());
    // an upload's path in the shared folder, or in any server's scratch folder (messages are stored where every server shows them)
    this.uploadPath = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(this.uploads.toString()
        + uploads.getFileSystem().getSeparator()) + "[^\\s:'\"]*|" + ScanScratch.PATHS.pattern());
    this.leaseConnection = transactions.newSession();
    this.leases = leaseConnection.repositories().jobs();
    this.capacity = capacity;
    this.lease = lease;
    this.policies = policies;
    this.owner = ProcessHandle.current().pid() + "@" + hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    this.keepAlive = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().name("video-jobs-lease").daemon(true).unstarted(r));
    this.worker = Thread.ofPlatform().name("video-jobs").daemon(true).start(this::work);
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "host";
    }
  }

  /**
   * A new empty file on this server's own disk, readable by this user only, for an upload before
   * {@link #submit} (footage is as sensitive as the templates: it reaches the shared folder sealed).
   */
  public Path newUploadFile() throws IOException {
    return scratch.newFile(".upload");
  }

  /**
   * {@code message} with every path of an upload replaced by {@code upload} (decoders name the file
   * they read; a client learns nothing of the server's folders from an error).
   */
  public String withoutUploadPaths(String message) {
    return message == null ? null : uploadPath.matcher(message).replaceAll("upload");
  }

  /** Whether another job would be refused now (checked before reading an upload, so a refusal costs nothing). */
  public boolean full() {
    return store.queued() >= capacity;
  }

  /**
   * Queues a scan of {@code upload} (a {@link #newUploadFile}); empty when the queue is full (the
   * upload is then the caller's to delete). The upload moves to the shared folder, sealed when a
   * template key is set: a job waiting in the queue, or left by a server that died, is footage at
   * rest too.
   */
  public Optional<StoredJob> submit(String actor, String gallery, Path upload, String name, double fps, Double fpir) throws IOException {
    if (full()) {
      return Optional.empty();
    }
    Optional<SealedMedia> sealer = transactions.mediaSealer();
    Path queued = uploads.resolve(UUID.randomUUID() + ".upload" + (sealer.isPresent() ? ".sealed" : ""));
    try {
      if (sealer.isPresent()) {
        sealer.get().seal(upload, queued); // from this server's disk into the shared folder, sealed
      } else {
        Files.move(upload, queued);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(queued);
      throw e;
    }
    Files.deleteIfExists(upload);
    Path file = queued;
    String id = UUID.randomUUID().toString();
    StoredJob job;
    try {
      job = transactions.inTransaction(() -> {
        StoredJob added = store.add(id, gallery, file.toString(), name, fps, fpir, actor);
        audit.append(actor, "video.job", gallery, Map.of("job", id, "name", name), Map.of("state", "queued"));
        return added;
      });
    } catch (RuntimeException e) { // not queued: nothing of the upload stays
      Files.deleteIfExists(file);
      throw e;
    }
    wake.release();
    return Optional.of(job);
  }

  /** One job as stored. */
  public Optional<StoredJob> job(String id) {
    return store.job(id);
  }

  /**
   * Cancels a queued or running job; its upload is deleted. A scan running here stops at its next
   * frame, storing nothing; one running on another server stops at its next frame after its renewal
   * finds the job cancelled, and that server deletes the upload (deleted from here, it could vanish
   * under a scan being stored; if that server died, a later sweep does). A cancellation that comes
   * after the last frame was read is too late to stop the scan being stored: delete the scan. Returns
   * the job as it now stands, or empty when it had already finished.
   */
  public Optional<StoredJob> cancel(String actor, String id) {
    StoredJob j = store.job(id).orElseThrow(() -> new org.likeness.gallery.store.NotFoundException("no job " + id));
    if (j.finished()) {
      return Optional.empty();
    }
    cancelled.put(id, true);
    boolean endedHere = transactions.inTransaction(() -> {
      boolean ended = !id.equals(current) && store.end(id, "cancelled", null); // not running here: ended here
      audit.append(actor, "video.cancel", j.gallery(), Map.of("job", id), Map.of("state", "cancelled"));
      return ended;
    });
    if (endedHere) {
      cancelled.remove(id);
      if ("queued".equals(j.state())) {
        deleteUpload(j);
      } // running on another server: that server stops at its next frame and deletes the upload unless its scan is stored
    }
    return store.job(id);
  }

  private void work() {
    while (!closing) {
      Optional<StoredJob> claimed;
      try {
        claimed = System.nanoTime() < pausedUntil ? Optional.empty() : leases.claim(owner, lease);
      } catch (RuntimeException e) { // the database away for a moment: try again
        LOG.warn("claiming a video job failed", e);
        claimed = Optional.empty();
      }
      if (claimed.isEmpty()) {
        sweepLeftUploads();
        try {
          wake.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS);
          wake.drainPermits();
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      StoredJob j = claimed.get();
      current = j.id();
      try {
        if (!"running".equals(j.state())) { // failed at its claim: its servers kept stopping under it
          LOG.error("video job {} ({}): {}", j.id(), j.name(), j.error());
          deleteUpload(j);
        } else if (!Files.isRegularFile(Path.of(j.upload()))) {
          leases.finish(j.id(), owner, "failed", j.progress(), null, "the uploaded file " + j.name()
              + " is gone (a server stopped and its upload was lost); upload the video again");
        } else {
          run(j);
        }
      } catch (Throwable t) { // nothing that one job does stops the worker: its claim runs out and another run decides
        LOG.error("video job {}: the worker survived a failure it could not record ({})", j.id(), t.toString(), t);
        if (t instanceof VirtualMachineError) {
          pausedUntil = System.nanoTime() + PAUSE_AFTER_FAULT.toNanos(); // out of memory: let the heap recover
        }
      } finally {
        current = null;
      }
    }
  }

  private void run(StoredJob j) {
    LOG.info("video job {} ({}) claimed by {}", j.id(), j.name(), owner);
    Path upload = Path.of(j.upload()), plain = null;
    Long stored = null; // the scan stored, for the job's record should anything fail after
    java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong(Double.doubleToLongBits(0));
    java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
    // Until the first frame (decrypting, hashing, waiting for another job of the same video to
    // release it) the claim is renewed however long it takes; from then on only while frames come.
    java.util.concurrent.atomic.AtomicLong lastSign = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
    java.util.concurrent.ScheduledFuture<?> renewing = keepAlive.scheduleWithFixedDelay(() -> {
      long last = lastSign.get();
      if (last != Long.MIN_VALUE && System.nanoTime() - last > STALL_NANOS) {
        return; // no frame for this long: stuck (a decoder that never returns), so the claim runs out and another server runs it
      }
      try {
        if (!lost.get() && !leases.renew(j.id(), owner, Double.longBitsToDouble(progress.get()), lease)) {
          lost.set(true); // cancelled elsewhere, or the claim ran out: the scan stops at its next frame
        }
      } catch (Throwable e) { // the database away for a moment: the next tick tries again, within the lease (a throw would end the ticks)
        LOG.warn("video job {}: renewing its claim failed", j.id(), e);
      }
    }, PROGRESS_EVERY_NANOS, PROGRESS_EVERY_NANOS, TimeUnit.NANOSECONDS);
    try {
      if (SealedMedia.isSealed(upload)) { // the decoder reads a plain copy on this server's disk, deleted below
        try {
          plain = scratch.plainCopy(upload, transactions.mediaSealer().orElseThrow(() -> new IOException(
              "the upload is sealed and this server has no template key (set LIKENESS_TEMPLATE_KEY or LIKENESS_TEMPLATE_KEY_FILE)")));
        } catch (IOException | RuntimeException e) { // this server's fault (no key, another key, a full disk), not the footage's
          LOG.error("video job {}: this server cannot open its sealed upload ({}); the job goes back to the queue, and this server "
              + "claims none for {} s", j.id(), e.getMessage(), PAUSE_AFTER_FAULT.toSeconds());
          finishQuietly(j, "queued", null, null);
          pausedUntil = System.nanoTime() + PAUSE_AFTER_FAULT.toNanos();
          return;
        }
      }
      Path file = plain != null ? plain : upload;
      MediaKind kind = MediaKind.of(file);
      if (kind != MediaKind.VIDEO) {
        throw new IOException(j.name() + " is not a video this server reads (checked by content)");
      }
      ScanService.Outcome o = scans.scan(j.actor(), file, "upload:" + j.name(), kind, j.gallery(),
          new ScanService.Options(j.fps(), j.gallery() == null ? null : policies.policy(j.fpir()), 5, false), upload.toString(),
          (seconds, info) -> {
            if (cancelled.containsKey(j.id()) || closing) {
              throw new CancellationException(closing ? "server stopping" : "cancelled");
            }
            if (lost.get()) {
              throw new LostClaim();
            }
            progress.set(Double.doubleToLongBits(info.durationSeconds() > 0 ? Math.min(1, seconds / info.durationSeconds()) : 0)); // none declared: unknown until done
            lastSign.set(System.nanoTime());
          });
      stored = o.scan() == null ? null : o.scan().id();
      if (o.scan() == null) { // nothing readable: no scan to keep
        deleteUpload(j);
        leases.finish(j.id(), owner, "failed", 0, null, o.error());
      } else {
        if (!leases.finish(j.id(), owner, o.error() == null ? "done" : "failed", 1, o.scan().id(), o.error())) {
          LOG.warn("video job {} finished here after its claim passed to another server (the scan is stored once: same media, "
              + "same scan)", j.id());
        }
        try {
          afterScan.accept(j.actor()); // the new unknown faces join the clusters
        } catch (RuntimeException e) { // the scan stands; the next update places them
          LOG.warn("placing the unknown faces of job {} failed", j.id(), e);
        }
      }
    } catch (LostClaim e) {
      LOG.warn("video job {}: the claim of {} ran out or the job was cancelled elsewhere; stopped here", j.id(), owner);
      try {
        if (store.job(j.id()).map(x -> "cancelled".equals(x.state())).orElse(false)) {
          deleteUpload(j); // cancelled from another server, which left the upload to this one: nothing was stored
        }
      } catch (RuntimeException ex) {
        LOG.warn("video job {}: could not check whether it was cancelled", j.id(), ex);
      }
    } catch (CancellationException e) {
      if (closing && !cancelled.containsKey(j.id())) {
        finishQuietly(j, "queued", null, null); // stopped by shutdown: the next claim runs it again
      } else {
        deleteUpload(j);
        finishQuietly(j, "cancelled", null, null);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("video job {} failed", j.id(), e);
      deleteUpload(j); // unless a scan stored before the failure (inside the scan, say) keeps it
      finishQuietly(j, "failed", stored, e.getMessage() == null ? e.toString() : e.getMessage());
    } finally {
      renewing.cancel(false);
      cancelled.remove(j.id());
      if (plain != null) {
        try {
          Files.deleteIfExists(plain);
        } catch (IOException e) {
          LOG.warn("video job {}: the plain copy {} could not be deleted", j.id(), plain, e);
        }
      }
    }
  }

  /**
   * Deletes the uploads of jobs cancelled or failed more than {@link #STALL_NANOS} ago that are still
   * on disk and kept by no scan: a job cancelled while a server that then died was running it leaves
   * its upload to that server, which never deletes it. The delay lets a live server notice the
   * cancellation and finish what it was saving. At most once a minute.
   */
  private void sweepLeftUploads() {
    long now = System.nanoTime();
    if (now - lastSweep < TimeUnit.MINUTES.toNanos(1)) {
      return;
    }
    lastSweep = now;
    try {
      java.time.Instant before = java.time.Instant.now().minusNanos(STALL_NANOS);
      for (StoredJob j : store.jobs(java.util.List.of("cancelled", "failed"))) {
        if (j.updated().isBefore(before) && Files.exists(Path.of(j.upload()))) {
          deleteUpload(j);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("sweeping the uploads of ended jobs failed", e);
    }
  }

  /**
   * Records how a job ended, or says why it could not (the database away past its busy timeout):
   * the claim then runs out and the job is claimed again, so nothing is lost by going on.
   */
  private void finishQuietly(StoredJob j, String state, Long scan, String error) {
    try {
      leases.finish(j.id(), owner, state, state.equals("queued") ? 0 : j.progress(), scan, error);
    } catch (RuntimeException e) {
      LOG.error("video job {}: could not record it {}; its claim will run out and another run records it", j.id(), state, e);
    }
  }

  /** Thrown from a scan's progress when this server's claim on its job is gone: the scan stops, storing nothing. */
  private static final class LostClaim extends CancellationException {
    LostClaim() {
      super("claim lost");
    }
  }

  /**
   * Deletes a job's upload unless a media row keeps it as its stored copy (a scan stored before a
   * failure, a cancellation or a claim that lapsed: deleting it would leave the scan's video
   * unservable, and every later upload of that video thrown away as already kept).
   */
  private void deleteUpload(StoredJob j) {
    try {
      if (!scans.store().keeps(j.upload())) {
        Files.deleteIfExists(Path.of(j.upload()));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot delete the upload of job {}", j.id(), e);
    }
  }

  /** Stops the worker: a running job is interrupted at its next frame and put back in the queue. */
  @Override
  public void close() {
    closing = true;
    try {
      worker.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    keepAlive.shutdownNow();
    if (!worker.isAlive()) {
      leaseConnection.close();
    }
  }
}
