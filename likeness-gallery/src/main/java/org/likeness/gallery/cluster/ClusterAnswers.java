package org.likeness.gallery.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A reviewer's decisions on clusters, answered as typed records: each record's components, in
 * order, are its JSON fields (the shapes the CLI prints and the REST API returns, unchanged). A
 * logged decision's answer starts with its {@code decision} number; the rest is its summary, which
 * the decision log keeps and an undo answers with.
 */
public final class ClusterAnswers {
  private ClusterAnswers() {}

  /** A cluster named: the subject it became or joined, how well its faces agreed with one existing, the faces enrolled. */
  public record Named(long decision, long cluster, String subject, String gallery, boolean joinedExisting, Double agreement,
      List<Long> facesEnrolled) {}

  /** Cluster {@code merged} merged into {@code into}, now of {@code size} faces. */
  public record Merged(long decision, long merged, long into, int size) {}

  /** Faces of {@code cluster} moved to {@code newCluster}: two people, never joined again by clustering. */
  public record Split(long decision, long cluster, long newCluster, List<Long> moved) {}

  /** One face out of {@code cluster}, now alone in cluster {@code nowIn}. */
  public record FaceRemoved(long cluster, long removed, long nowIn) {}

  /** Two clusters said to be different people. */
  public record Rejected(long decision, List<Long> cannotLink) {}

  /** A decision undone: its number, its action, and its summary as logged. */
  public record Undone(long undone, String action, JsonNode summary) {}
}
