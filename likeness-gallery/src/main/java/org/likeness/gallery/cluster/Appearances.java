package org.likeness.gallery.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.VectorUtil;
import org.likeness.engine.verify.FmrTable;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.search.Hit;
import org.likeness.gallery.service.Shapes;
import org.likeness.gallery.store.ClusterStore;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredSighting;

/** Every sighting of a person across all scanned media: found by similarity through the sighting index, decided by scans, or in clusters named so. */
final class Appearances {
  private final ScanStore scans;
  private final ClusterStore clusters;
  private final AuditLog audit;
  private final String pack;
  private final SightingIndex sightings;

  Appearances(GalleryStore store, ClusterStore clusters, AuditLog audit, String pack, SightingIndex sightings) {
    this.scans = store.repositories().scans();
    this.clusters = clusters;
    this.audit = audit;
    this.pack = pack;
    this.sightings = sightings;
  }

  /**
   * Every sighting of a person across all scanned media, best first: sightings whose similarity to
   * any of {@code probes} reaches {@code threshold} (found through the index over all sightings),
   * plus, for a subject, the sightings a scan decided are that subject (unless a reviewer rejected
   * it) and the faces of clusters named as that subject. Each with score, measured {@code fmr},
   * media, time and box. Audited.
   */
  public ClusterAnswers.Appearances appearances(String actor, List<float[]> probes, String gallery, String subject, double threshold,
      FmrTable calibration, int limit) {
    Map<Long, Float> score = new HashMap<>();
    Map<Long, String> why = new HashMap<>();
    sightings.refresh();
    int k = Math.min(Math.max(limit, 1) * 2, Math.max(1, sightings.size()));
    for (float[] p : probes) {
      for (Hit h : sightings.search(p, k)) {
        if (h.score() >= threshold && h.score() > score.getOrDefault(h.faceId(), Float.NEGATIVE_INFINITY)) {
          score.put(h.faceId(), h.score());
          why.put(h.faceId(), "similar");
        }
      }
    }
    if (subject != null) {
      for (long id : clusters.sightingsNamed(pack, gallery, subject)) {
        why.putIfAbsent(id, "decided");
      }
    }
    List<Long> ids = new ArrayList<>(why.keySet());
    List<ScanStore.Located> found = scans.locate(ids);
    List<ClusterAnswers.Appearance> out = new ArrayList<>();
    for (ScanStore.Located l : found) {
      StoredSighting g = l.sighting();
      float s = score.containsKey(g.id()) ? score.get(g.id()) : bestScore(g.template(), probes);
      out.add(new ClusterAnswers.Appearance(ClusterAnswers.Face.of(l, null), Shapes.round4(s),
          calibration == null ? null : Shapes.fmr(calibration.fmrAt(s)), why.get(g.id()),
          g.decisionJson() == null ? null : ClusterService.read(g.decisionJson()).path("decision").path("subject").asText(null),
          g.verdict() == null ? null : g.verdict().verdict(), clusters.member(g.id()).map(ClusterStore.Member::clusterId).orElse(null)));
    }
    out.sort(Comparator.comparingDouble((ClusterAnswers.Appearance a) -> -a.score()).thenComparingLong(a -> a.face().sighting()));
    List<ClusterAnswers.Appearance> first = List.copyOf(out.subList(0, Math.min(limit, out.size())));
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("pack", pack);
    in.put("subject", subject);
    in.put("probes", probes.size());
    audit.append(actor, "appearances", gallery, in, Map.of("sightings", first.stream().map(a -> a.face().sighting()).toList()));
    return new ClusterAnswers.Appearances(subject, Shapes.round4(threshold), first, out.size());
  }

  private static float bestScore(float[] t, List<float[]> probes) {
    float best = -1;
    for (float[] p : probes) {
      best = Math.max(best, VectorUtil.dotProduct(t, p));
    }
    return best;
  }



}
