package org.likeness.gallery.store;

import java.time.Instant;

/**
 * A server's video job as stored, so a restart finds every job it had.
 *
 * @param upload the uploaded file the job scans
 * @param name the file name the client gave
 * @param state {@code queued}, {@code running}, {@code done}, {@code failed} or {@code cancelled}
 * @param progress the share of the video done, 0 to 1
 * @param scanId the stored scan once done
 */
public record StoredJob(String id, String gallery, String upload, String name, double fps, String state, double progress,
    Long scanId, String error, String actor, Instant created, Instant updated, Double fpir) {

  /** Whether the job will not change any more. */
  public boolean finished() {
    return state.equals("done") || state.equals("failed") || state.equals("cancelled");
  }
}
