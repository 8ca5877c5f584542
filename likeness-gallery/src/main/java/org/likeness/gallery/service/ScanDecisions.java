package org.likeness.gallery.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.BiPredicate;
import org.likeness.engine.verify.Verifier;
import org.likeness.gallery.Gallery;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.link.Carrying;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.SightingDecisions;

/**
 * Keeps the stored decisions of a gallery's scans equal to what identifying their sightings
 * against the gallery as it now is would decide, after every change of its subjects (enrol,
 * delete, merge, rename, move): the sightings a change can concern are identified again from
 * their stored templates, by the rule each was decided by, with exact search, together with the
 * tracks linked to them (a name is carried along links); no other decision is touched.
 */
final class ScanDecisions {
  private final GalleryStore store;
  /** Within the store: a rewrite's record commits with it. */
  private final AuditLog audit;
  private final SightingDecisions scans;
  private final Function<String, Verifier> scales;
  private final BiFunction<String, String, Gallery> searchable;

  /**
   * @param scales a pack's default threshold (for decisions stored without theirs) and calibration, by pack id; may be null
   *     when nothing is ever re-decided (then a change that concerns a decision fails)
   * @param searchable the gallery of this name, current, checked against this pack id
   */
  ScanDecisions(GalleryStore store, AuditLog audit, Function<String, Verifier> scales, BiFunction<String, String, Gallery> searchable) {
    this.store = store;
    this.audit = audit;
    this.scans = store.repositories().scans().decisions();
    this.scales = scales;
    this.searchable = searchable;
  }

  /** What re-deciding did: decisions rewritten, and of those, how many now name someone else. */
  record Redecided(int rewritten, int subjectChanged) {}

  /** Who made the change that decisions are re-decided after, and which operation it was (for the audit record). */
  record Cause(String actor, String operation) {}

  /**
   * Identifies again the decided sightings of {@code g}'s scans that {@code concerned} selects by
   * their stored decision and the template they were searched with (a small face's mapped one;
   * after the change is committed).
   */
  Redecided redecide(Cause cause, GalleryInfo g, BiPredicate<StoredDecision, float[]> concerned) {
    return redecideRows(cause, g, null, (d, sd, searched) -> concerned.test(sd, searched));
  }

  /**
   * After reviewers' verdicts on sightings of one scan: they and the tracks linked with them decided
   * again (a rejected name carries nothing); only that scan's decisions are read.
   */
  Redecided afterVerdicts(Cause cause, GalleryInfo g, long scanId, Set<Long> sightingIds) {
    return redecideRows(cause, g, scanId, (d, sd, searched) -> sightingIds.contains(d.sightingId()));
  }

  /** Re-decides the decided sightings of {@code g}'s scans (of scan {@code scanId} only, when not null) that {@code concerned} selects. */
  private Redecided redecideRows(Cause cause, GalleryInfo g, Long scanId, Concern concerned) {
    if (!scans.hasDecisions(g.name())) {
      return new Redecided(0, 0);
    }
    if (scales == null) {
      throw new IllegalStateException("re-deciding scan decisions needs the pack's calibration, and the service was opened without it");
    }
    Verifier scale = scales.apply(g.packId());
    Gallery gallery = searchable.apply(g.name(), g.packId());
    long size = gallery.index().size();
    List<SightingDecisions.Decided> all = scans.decided(g.name(), scanId);
    List<StoredDecision> before = all.stream().map(d -> StoredDecision.read(d.decisionJson())).toList();
    MatchPolicy[] rules = new MatchPolicy[all.size()];
    boolean[] again = new boolean[all.size()];
    Set<String> groups = new HashSet<>(); // linked tracks are decided again together: a name may be carried along their links
    for (int i = 0; i < all.size(); i++) {
      StoredDecision b = before.get(i);
      rules[i] = b.rule(scale.calibration(), scale.smallFaces(), scale.threshold());
      MatchPolicy.Probe probe = rules[i].forProbe(all.get(i).template(), b.size()); // a small face was searched mapped
      if (concerned.test(all.get(i), b, probe.template()) || thresholdCrossed(b, probe.policy(), size)) {
        again[i] = true;
        if (all.get(i).link() != null) {
          groups.add(all.get(i).scanId() + "/" + all.get(i).link());
        }
      }
    }
    Map<String, List<Integer>> members = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      SightingDecisions.Decided d = all.get(i);
      if (d.link() != null && groups.contains(d.scanId() + "/" + d.link())) {
        again[i] = true;
        members.computeIfAbsent(d.scanId() + "/" + d.link(), k -> new ArrayList<>()).add(i);
      }
    }
    Identification[] now = new Identification[all.size()];
    for (int i = 0; i < all.size(); i++) {
      if (again[i]) {
        now[i] = gallery.identify(all.get(i).template(), before.get(i).size(), before.get(i).top(), rules[i]);
      }
    }
    for (List<Integer> group : members.values()) {
      List<Identification> carried = Carrying.forCalibration(scale.calibration()).carry(group.stream().map(i -> all.get(i).link()).toList(),
          group.stream().map(i -> all.get(i).number()).toList(), group.stream().map(i -> all.get(i).template()).toList(),
          group.stream().map(i -> now[i]).toList(), group.stream().map(i -> all.get(i).rejected()).toList());
      for (int k = 0; k < group.size(); k++) {
        now[group.get(k)] = carried.get(k);
      }
    }
    List<SightingDecisions.Redecision> out = new ArrayList<>();
    int changed = 0;
    for (int i = 0; i < all.size(); i++) {
      if (!again[i]) {
        continue;
      }
      SightingDecisions.Decided d = all.get(i);
      String json = StoredDecision.json(now[i], rules[i], before.get(i).top());
      if (!json.equals(d.decisionJson())) {
        out.add(new SightingDecisions.Redecision(d.sightingId(), d.decisionJson(), json));
        if (!Objects.equals(before.get(i).subject(), now[i].decision() == null ? null : now[i].decision().subject())) {
          changed++;
        }
      }
    }
    if (!out.isEmpty()) { // the rewrites and their record: one transaction
      int subjectChanged = changed;
      store.inTransaction(() -> {
        int rewritten = scans.redecided(out);
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("after", cause.operation());
        if (scanId != null) {
          in.put("scan", scanId);
        }
        audit.append(cause.actor(), "decisions.redecide", g.name(), in, Map.of("rewritten", rewritten, "subjectChanged", subjectChanged));
        return rewritten;
      });
    }
    return new Redecided(out.size(), changed);
  }

  /**
   * Whether an FPIR decision's threshold, moved by the gallery's new size, now falls on the other
   * side of its best score (the decision may flip though none of its candidates changed).
   */
  private static boolean thresholdCrossed(StoredDecision d, MatchPolicy rule, long size) {
    if (d.fpirTarget() == null) {
      return false;
    }
    double was = d.threshold(rule.threshold());
    double now = rule.thresholdFor(size);
    double score = d.bestScore();
    return score >= Math.min(was, now) - 1e-4 && score < Math.max(was, now) + 1e-4;
  }

  /** Whether a stored decision is concerned by a change, given the template it was searched with. */
  @FunctionalInterface
  private interface Concern {
    boolean test(SightingDecisions.Decided d, StoredDecision sd, float[] searched);
  }

  /** After an enrolment: the sightings a newly enrolled face (id above {@code lastFaceBefore}) could enter the candidates of. */
  Redecided afterEnrolment(Cause cause, GalleryInfo g, long lastFaceBefore) {
    if (!scans.hasDecisions(g.name())) {
      return new Redecided(0, 0);
    }
    List<float[]> added = new ArrayList<>();
    Set<Long> subjectIds = new HashSet<>();
    store.forEachTemplate(g.id(), lastFaceBefore + 1, (face, subject, template) -> {
      added.add(template);
      subjectIds.add(subject);
    });
    // names read after the faces: a subject another server created meanwhile is named (read before, it
    // was missing and its null name failed the enrolment); one deleted meanwhile has nothing to re-decide
    Map<Long, String> names = store.subjectNames(g.id());
    Set<String> subjects = new HashSet<>();
    for (long id : subjectIds) {
      if (names.containsKey(id)) {
        subjects.add(names.get(id));
      }
    }
    if (added.isEmpty()) {
      return new Redecided(0, 0);
    }
    return redecide(cause, g, (sd, template) -> {
      if (subjects.stream().anyMatch(sd::mentions)) {
        return true; // a subject's score may rise (or, with a mean of two, move either way)
      }
      double bar = sd.entryScore();
      for (float[] t : added) {
        if (Verifier.cosine(t, template) > bar) {
          return true;
        }
      }
      return false;
    });
  }

  /**
   * After faces left the searches ({@code removed}: suspects) or came back ({@code admitted}:
   * confirmed or cleared) for {@code subjects}: the decisions that named those subjects or matched
   * those faces, and those an admitted face could enter the candidates of.
   */
  Redecided afterReview(Cause cause, GalleryInfo g, Set<String> subjects, Set<Long> removed, List<float[]> admitted) {
    if (subjects.isEmpty() || !scans.hasDecisions(g.name())) {
      return new Redecided(0, 0);
    }
    return redecide(cause, g, (sd, template) -> {
      if (subjects.stream().anyMatch(sd::mentions) || removed.stream().anyMatch(sd::matchedFace)) {
        return true;
      }
      double bar = sd.entryScore();
      return admitted.stream().anyMatch(t -> Verifier.cosine(t, template) > bar);
    });
  }

  /** The highest face id of the gallery (face ids only grow), 0 when it has none. */
  long lastFace(GalleryInfo g) {
    return store.faceSubjects(g.id()).keySet().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** The name of the subject a face belongs to, or "" when there is no such face. */
  String subjectOfFace(GalleryInfo g, long faceId) {
    Long subject = store.faceSubjects(g.id()).get(faceId);
    return subject == null ? "" : store.subjectNames(g.id()).getOrDefault(subject, "");
  }
}
