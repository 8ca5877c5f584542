package org.likeness.engine.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.likeness.engine.verify.FmrTable;

/**
 * The recogniser of a pack: one network, or several whose cosine similarities are fused as a
 * weighted sum (score fusion), each on faces aligned to its own template. Fusion is carried by the
 * embedding itself: each member's unit vector scaled by the square root of its weight,
 * concatenated, so that the dot product of two fused embeddings is exactly {@code sum(w_i * cos_i)}
 * and every search, index and cluster works on it unchanged.
 *
 * @param members the networks, in the order their parts appear in the embedding
 * @param embeddingSize length of the (fused) embedding vector: the sum of the members' sizes
 * @param threshold default cosine-similarity decision threshold for the (fused) score
 * @param calibration the measured false-match rates per similarity; null when the pack has none
 * @param smallFaces how faces too small for that calibration are decided; null when the pack says nothing of them
 */
public record RecognizerSpec(List<Member> members, int embeddingSize, double threshold, FmrTable calibration,
    org.likeness.engine.verify.SmallFaces smallFaces) {
  /** The template every face is also aligned to, whatever the networks use: the crop reviewers see, quality judges. */
  public static final String REVIEW_TEMPLATE = "arcface-112";

  /**
   * One network of the recogniser.
   *
   * @param template the alignment template its faces are warped to ("arcface-112", "dlib-150")
   * @param weight its share of the fused score; the members' weights sum to 1
   */
  public record Member(ModelSpec model, String template, int embeddingSize, double weight) {}

  public RecognizerSpec {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a recogniser needs at least one network");
    }
    double sum = 0;
    int size = 0;
    for (Member m : members) {
      if (!(m.weight() > 0) || m.embeddingSize() <= 0) {
        throw new IllegalArgumentException("each network needs a positive weight and embeddingSize");
      }
      sum += m.weight();
      size += m.embeddingSize();
    }
    for (Member m : members) {
      InputSpec in = m.model().input();
      int side = switch (m.template()) {
        case "arcface-112" -> 112;
        case "dlib-150" -> 150;
        default -> throw new IllegalArgumentException("unknown alignment template '" + m.template()
            + "' (supported: arcface-112, dlib-150)");
      };
      if (in.width() != side || in.height() != side) {
        throw new IllegalArgumentException("template " + m.template() + " makes " + side + "x" + side
            + " crops; the network takes " + in.width() + "x" + in.height());
      }
    }
    if (Math.abs(sum - 1) > 1e-6) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the networks' weights sum to %.4g, not 1", sum));
    }
    if (size != embeddingSize) {
      throw new IllegalArgumentException("embeddingSize " + embeddingSize + " is not the members' total " + size);
    }
  }

  /** A recogniser without a small-face rule. */
  public RecognizerSpec(List<Member> members, int embeddingSize, double threshold, FmrTable calibration) {
    this(members, embeddingSize, threshold, calibration, null);
  }

  /** This recogniser with {@code small} as its small-face rule. */
  public RecognizerSpec withSmallFaces(org.likeness.engine.verify.SmallFaces small) {
    return new RecognizerSpec(members, embeddingSize, threshold, calibration, small);
  }

  /** A single network. */
  public static RecognizerSpec single(ModelSpec model, String template, int embeddingSize, double threshold,
      FmrTable calibration) {
    return new RecognizerSpec(List.of(new Member(model, template, embeddingSize, 1)), embeddingSize, threshold,
        calibration);
  }

  /** The templates faces are aligned to: {@link #REVIEW_TEMPLATE} first, then the networks' others, each once. */
  public List<String> templates() {
    LinkedHashSet<String> t = new LinkedHashSet<>();
    t.add(REVIEW_TEMPLATE);
    members.forEach(m -> t.add(m.template()));
    return List.copyOf(t);
  }

  /** The embedding's parts, one per network, as {@link org.likeness.engine.embed.FaceEmbedder} concatenates them. */
  public EmbeddingLayout layout() {
    return new EmbeddingLayout(members.stream().map(m -> new EmbeddingLayout.Part(m.embeddingSize(), m.weight())).toList());
  }

  /**
   * The similarity at which this pack's calibration measures the false-match rate {@code rate};
   * {@code uncalibrated} when the pack has no calibration. Settings chosen on one pack's scale are
   * carried to another's this way, at the same measured rate.
   */
  public double similarityAt(double rate, double uncalibrated) {
    return calibration == null ? uncalibrated : calibration.thresholdFor(rate);
  }

  /** Whether several networks are fused. */
  public boolean fused() {
    return members.size() > 1;
  }

  /** The verifier this pack's manifest describes: its threshold and calibration, no model loaded. */
  public org.likeness.engine.verify.Verifier verifier() {
    return new org.likeness.engine.verify.Verifier(threshold, calibration, smallFaces);
  }
}
