package org.likeness.gallery.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Video jobs queued for the servers: added, claimed under a lease that a live server renews, finished once. */
public interface JobStore {
  /** Stores a new queued job (no FPIR target: the default rule). */
  StoredJob add(String id, String gallery, String upload, String name, double fps, String actor);

  /** Stores a new queued job, deciding at {@code fpir} (null: the default). */
  StoredJob add(String id, String gallery, String upload, String name, double fps, Double fpir, String actor);

  /**
   * Claims the oldest job that is queued, or running under a lease that ran out, for {@code owner}
   * until now + {@code lease}; empty when there is none. One transaction that locks the job's row
   * (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}, so servers claiming at once take different jobs and
   * queue behind no other writer; SQLite: its one writer): no two claims of a job. A job already
   * claimed {@code 3} times since it was queued without finishing (its servers stopped under it) is
   * failed instead and returned so: the caller runs only a job whose state is {@code running}.
   */
  Optional<StoredJob> claim(String owner, Duration lease);

  /**
   * Renews {@code owner}'s claim on a running job and stores its progress; false when the claim is
   * no longer {@code owner}'s (it ran out and another server took the job, or the job was cancelled):
   * the caller then stops.
   */
  boolean renew(String id, String owner, double progress, Duration lease);

  /**
   * Ends {@code owner}'s run of a job: {@code done}, {@code failed}, or {@code queued} again (a
   * server stopping); false when the claim was no longer {@code owner}'s, and nothing is changed.
   */
  boolean finish(String id, String owner, String state, double progress, Long scanId, String error);

  /** Ends a job no server holds (queued, or never claimed): false when it had already finished. */
  boolean end(String id, String state, String error);

  /** One job. */
  Optional<StoredJob> job(String id);

  /** Jobs in one of these states, oldest first. */
  List<StoredJob> jobs(List<String> states);

  /** How many jobs wait to be claimed, by any server. */
  long queued();

  /** The server holding a running job's claim, or null. */
  String owner(String id);
}
