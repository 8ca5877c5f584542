package org.likeness.server.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredJob;
import org.likeness.video.scan.MediaKind;
import org.likeness.video.scan.ScanService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's video jobs: uploads scanned one at a time by a worker thread (the engine already uses
 * every core), queued up to a bound (beyond it the caller answers 503), every state change stored
 * so a restart finds each job: queued and running jobs whose upload is still there are queued
 * again and run from the start; those whose upload is gone are marked failed with the reason.
 * After each scan, {@code afterScan} hears the job's actor (the server places new unknown faces).
 */
public final class VideoJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VideoJobs.class);
  /** Shortest time between two stored progress updates of a running job. */
  private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final ScanService scans;
  private final ScanStore store;
  private final AuditLog audit;
  private final Path uploads;
  private final java.util.regex.Pattern uploadPath;
  private final int capacity;
  private final BlockingQueue<String> queue;
  private final Map<String, Boolean> cancelled = new ConcurrentHashMap<>();
  private final Thread worker;
  private final PolicySource policies;
  private final java.util.function.Consumer<String> afterScan;
  private volatile boolean closing;

  /** The decision rule for a job's gallery, chosen when the job runs: at the job's target FPIR (null: the default). */
  @FunctionalInterface
  public interface PolicySource {
    MatchPolicy policy(Double fpir);
  }

  /**
   * Jobs kept in {@code scans}' store, uploads under {@code uploads}, at most {@code capacity}
   * waiting. Recovers the jobs a previous server left and starts the worker.
   */
  public VideoJobs(ScanService scans, AuditLog audit, Path uploads, int capacity, PolicySource policies,
      java.util.function.Consumer<String> afterScan) throws IOException {
    this.afterScan = afterScan;
    this.scans = scans;
    this.store = scans.store();
    this.audit = audit;
    this.uploads = uploads.getFileSystem().supportedFileAttributeViews().contains("posix") && !Files.isDirectory(uploads)
        ? Files.createDirectories(uploads, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
        : Files.createDirectories(uploads); // footage: owner only, like the files in it
    this.uploadPath = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(this.uploads.toString()
        + uploads.getFileSystem().getSeparator()) + "[^\\s:'\"]*");
    this.capacity = capacity;
    this.policies = policies;
    List<StoredJob> left = store.jobs(List.of("queued", "running"));
    this.queue = new ArrayBlockingQueue<>(capacity + left.size());
    for (StoredJob j : left) {
      if (Files.isRegularFile(Path.of(j.upload()))) {
        store.updateJob(j.id(), "queued", 0, null, null);
        queue.add(j.id());
        LOG.info("video job {} ({}) queued again after a restart", j.id(), j.name());
      } else {
        store.updateJob(j.id(), "failed", j.progress(), null, "the server stopped and the uploaded file " + j.name()
            + " is gone; upload the video again");
      }
    }
    this.worker = Thread.ofPlatform().name("video-jobs").daemon(true).start(this::work);
  }

  /** A new empty file, readable by this user only (footage is as sensitive as the templates), for an upload before {@link #submit}. */
  public Path newUploadFile() throws IOException {
    Path file = uploads.resolve(UUID.randomUUID() + ".upload");
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.createFile(file);
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
    return queue.size() >= capacity;
  }

  /** Queues a scan of {@code upload}; empty when the queue is full (the upload is then the caller's to delete). */
  public Optional<StoredJob> submit(String actor, String gallery, Path upload, String name, double fps, Double fpir) {
    if (full()) {
      return Optional.empty();
    }
    String id = UUID.randomUUID().toString();
    StoredJob job = store.addJob(id, gallery, upload.toString(), name, fps, fpir, actor);
    if (!queue.offer(id)) {
      store.updateJob(id, "failed", 0, null, "the job queue filled up as this job arrived");
      return Optional.empty();
    }
    audit.append(actor, "video.job", gallery, Map.of("job", id, "name", name), Map.of("state", "queued"));
    return Optional.of(job);
  }

  /** One job as stored. */
  public Optional<StoredJob> job(String id) {
    return store.job(id);
  }

  /**
   * Cancels a queued or running job (a running scan stops at its next frame, storing nothing); its
   * upload is deleted. Returns the job as it now stands, or empty when it had already finished.
   */
  public Optional<StoredJob> cancel(String actor, String id) {
    StoredJob j = store.job(id).orElseThrow(() -> new org.likeness.gallery.store.NotFoundException("no job " + id));
    if (j.finished()) {
      return Optional.empty();
    }
    cancelled.put(id, true);
    if (queue.remove(id)) { // never started: finish it here
      finishCancelled(j);
    }
    audit.append(actor, "video.cancel", j.gallery(), Map.of("job", id), Map.of("state", "cancelled"));
    return store.job(id);
  }

  private void work() {
    while (!closing) {
      String id;
      try {
        id = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (id == null) {
        continue;
      }
      StoredJob j = store.job(id).orElse(null);
      if (j == null || j.finished()) {
        continue;
      }
      run(j);
    }
  }

  private void run(StoredJob j) {
    store.updateJob(j.id(), "running", 0, null, null);
    long[] lastWrite = {System.nanoTime()};
    try {
      Path file = Path.of(j.upload());
      MediaKind kind = MediaKind.of(file);
      if (kind != MediaKind.VIDEO) {
        throw new IOException(j.name() + " is not a video this server reads (checked by content)");
      }
      ScanService.Outcome o = scans.scan(j.actor(), file, "upload:" + j.name(), kind, j.gallery(),
          new ScanService.Options(j.fps(), j.gallery() == null ? null : policies.policy(j.fpir()), 5, false), file.toString(),
          (seconds, info) -> {
            if (cancelled.containsKey(j.id()) || closing) {
              throw new CancellationException(closing ? "server stopping" : "cancelled");
            }
            long now = System.nanoTime();
            if (now - lastWrite[0] > PROGRESS_EVERY_NANOS) {
              lastWrite[0] = now;
              store.updateJob(j.id(), "running", Math.min(1, seconds / Math.max(1e-3, info.durationSeconds())), null, null);
            }
          });
      if (o.scan() == null) { // nothing readable: no scan to keep
        Files.deleteIfExists(file);
        store.updateJob(j.id(), "failed", 0, null, o.error());
      } else {
        store.updateJob(j.id(), o.error() == null ? "done" : "failed", 1, o.scan().id(), o.error());
        try {
          afterScan.accept(j.actor()); // the new unknown faces join the clusters
        } catch (RuntimeException e) { // the scan stands; the next update places them
          LOG.warn("placing the unknown faces of job {} failed", j.id(), e);
        }
      }
    } catch (CancellationException e) {
      if (closing && !cancelled.containsKey(j.id())) {
        store.updateJob(j.id(), "queued", 0, null, null); // stopped by shutdown: the next start runs it again
      } else {
        finishCancelled(j);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("video job {} failed", j.id(), e);
      try {
        Files.deleteIfExists(Path.of(j.upload()));
      } catch (IOException ignored) {
        // the failure below is what the client needs to hear
      }
      store.updateJob(j.id(), "failed", 0, null, e.getMessage() == null ? e.toString() : e.getMessage());
    } finally {
      cancelled.remove(j.id());
    }
  }

  private void finishCancelled(StoredJob j) {
    try {
      Files.deleteIfExists(Path.of(j.upload()));
    } catch (IOException e) {
      LOG.warn("cannot delete the upload of cancelled job {}", j.id(), e);
    }
    store.updateJob(j.id(), "cancelled", j.progress(), null, null);
  }

  /** Stops the worker: a running job is interrupted at its next frame and left queued for the next start. */
  @Override
  public void close() {
    closing = true;
    try {
      worker.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
