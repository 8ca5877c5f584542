package org.likeness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.likeness.engine.geom.Box;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.NotFoundException;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredFace;
import org.likeness.gallery.store.StoredScan;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.gallery.store.SubjectInfo;

/**
 * Gathers what the store says of one subject of one gallery: its enrolled faces, every face or
 * track of the gallery's scans that the machine named as the subject or a reviewer said is the
 * subject (grouped by scan, in time order), the crops a reviewer compares, and the audit records
 * all of it rests on.
 */
public final class EvidenceCollector {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GalleryStore store;
  private final ScanStore scans;
  private final AuditLog audit;

  /** Reads {@code store} and {@code audit}. */
  public EvidenceCollector(GalleryStore store, AuditLog audit) {
    this.store = store;
    this.scans = store.repositories().scans();
    this.audit = audit;
  }

  /** Evidence with the images it shows: sighting crops by {@link #sightingKey}, enrolled crops by {@link #faceKey}. */
  public record Collected(Evidence evidence, Map<String, byte[]> crops) {}

  /** The key of a sighting's crop. */
  public static String sightingKey(long scan, int number) {
    return "s/" + scan + "/" + number;
  }

  /** The key of an enrolled face's crop. */
  public static String faceKey(long face) {
    return "f/" + face;
  }

  /**
   * What the store says now of {@code subject} in {@code gallery}.
   *
   * @param calibration the source of the pack's false-match rates, or null
   * @throws NotFoundException when the gallery or the subject does not exist
   */
  public Collected collect(String gallery, String subject, String calibration, String issued, String issuedBy, String auditHead) {
    return gather(gallery, subject, calibration, issued, issuedBy, auditHead, true);
  }

  /** The subject's enrolled faces and appearances as the store says now, without crops or audit records (a page's list). */
  public Evidence appearances(String gallery, String subject) {
    return gather(gallery, subject, null, null, null, null, false).evidence();
  }

  /**
   * The faces and tracks of an unknown-faces cluster as appearances (an unknown person across all
   * media), by scan and number; {@code subject} is {@code "cluster N"}, there is no gallery and no
   * enrolled face, and scores are absent (nobody to score against).
   */
  public Evidence clusterAppearances(long clusterId) {
    org.likeness.gallery.store.ClusterStore clusters = store.repositories().clusters();
    clusters.requireCluster(clusterId);
    List<Long> ids = clusters.members(clusterId).stream().map(org.likeness.gallery.store.ClusterStore.Member::sightingId).toList();
    List<Evidence.Appearance> out = new ArrayList<>();
    for (ScanStore.Located l : scans.locate(ids)) {
      out.add(appearance(l.scan(), l.sighting(), null));
    }
    out.sort(java.util.Comparator.comparingLong(Evidence.Appearance::scan).thenComparingInt(Evidence.Appearance::number));
    return new Evidence(Evidence.VERSION, "cluster " + clusterId, null, null, null, null, null, null, List.of(), out, List.of());
  }

  private Collected gather(String gallery, String subject, String calibration, String issued, String issuedBy, String auditHead,
      boolean full) {
    GalleryInfo g = store.requireGallery(gallery);
    SubjectInfo s = store.subject(g.id(), subject)
        .orElseThrow(() -> new NotFoundException("no subject '" + subject + "' in gallery '" + gallery + "'"));
    Map<String, byte[]> crops = new LinkedHashMap<>();
    List<Evidence.EnrolledFace> enrolled = new ArrayList<>();
    for (StoredFace f : store.facesOf(s.id())) {
      enrolled.add(new Evidence.EnrolledFace(f.id(), f.imageSha256(), f.cropPng() != null));
      if (full && f.cropPng() != null) {
        crops.put(faceKey(f.id()), f.cropPng());
      }
    }
    List<Evidence.Appearance> appearances = new ArrayList<>();
    Set<String> media = new HashSet<>();
    Set<Long> scanIds = new HashSet<>();
    List<StoredScan> ofGallery = new ArrayList<>(scans.scans().stream().filter(x -> gallery.equals(x.gallery())).toList());
    ofGallery.sort(java.util.Comparator.comparingLong(StoredScan::id));
    for (StoredScan scan : ofGallery) {
      for (StoredSighting sighting : scans.sightings(scan.id())) {
        Evidence.Appearance a = appearance(scan, sighting, subject);
        if (a != null) {
          appearances.add(a);
          media.add(scan.media().sha256());
          scanIds.add(scan.id());
          if (full && sighting.cropPng() != null) {
            crops.put(sightingKey(scan.id(), sighting.number()), sighting.cropPng());
          }
        }
      }
    }
    List<Evidence.AuditRef> refs = new ArrayList<>();
    if (full) { // a page's list does not read the audit trail
      audit.forEach(r -> {
        if (gallery.equals(r.gallery()) && restsOn(r.operation(), r.inputs(), subject, media, scanIds)) {
          refs.add(new Evidence.AuditRef(r.seq(), r.time(), r.operation(), r.hash()));
        }
      });
    }
    Evidence e = new Evidence(Evidence.VERSION, subject, gallery, g.packId(), calibration, issued, issuedBy, auditHead, enrolled,
        appearances, refs);
    return new Collected(e, crops);
  }

  /**
   * The sighting as an appearance of {@code subject}, or null when neither its decision nor its
   * verdict names the subject; with a null subject (an unknown person), the sighting as it is.
   */
  private static Evidence.Appearance appearance(StoredScan scan, StoredSighting g, String subject) {
    StoredDecision d = g.decisionJson() == null ? null : StoredDecision.read(g.decisionJson());
    String decided = d == null ? null : d.subject();
    StoredSighting.Verdict v = g.verdict();
    if (subject != null && !subject.equals(decided) && (v == null || !subject.equals(v.subject()))) {
      return null;
    }
    JsonNode scored = null; // the decision when it names the subject, else the subject's candidate entry
    if (d != null && subject != null && subject.equals(decided)) {
      scored = d.node().path("decision");
    } else if (d != null) {
      for (JsonNode c : d.node().path("candidates")) {
        if (subject != null && subject.equals(c.path("subject").asText(null))) {
          scored = c;
        }
      }
    }
    Long matched = null;
    if (d != null) {
      for (JsonNode c : d.node().path("candidates")) {
        if (subject != null && subject.equals(c.path("subject").asText(null)) && c.path("face").isNumber()) {
          matched = c.path("face").asLong();
        }
      }
    }
    Box b = g.box();
    return new Evidence.Appearance(scan.id(), g.number(), scan.media().video() ? "track" : "face", scan.media().path(),
        scan.media().sha256(), g.start(), g.end(), g.bestTime(), List.of(b.x(), b.y(), b.width(), b.height()),
        scored == null || !scored.path("score").isNumber() ? null : scored.path("score").asDouble(), text(scored, "fmr"),
        text(scored, "fpir"), decided, d == null ? null : d.carriedFrom(), matched, v == null ? null : v.verdict(),
        v == null ? null : v.subject(), v == null ? null : v.by(), v == null ? null : v.at().toString(),
        g.cropPng() == null ? null : EvidenceCodec.sha256(g.cropPng()));
  }

  private static String text(JsonNode n, String field) {
    return n == null || n.path(field).isMissingNode() || n.path(field).isNull() ? null : n.path(field).asText();
  }

  /** Whether an audit record is one the evidence rests on: it names the subject, or one of the media or scans shown. */
  static boolean restsOn(String operation, String inputsJson, String subject, Set<String> media, Set<Long> scanIds) {
    if (operation.startsWith("report.")) {
      return false;
    }
    JsonNode in;
    try {
      in = JSON.readTree(inputsJson);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
    List<JsonNode> values = new ArrayList<>();
    collect(in, values);
    for (JsonNode v : values) {
      if (v.isTextual() && (subject.equals(v.asText()) || media.contains(v.asText()))) {
        return true;
      }
    }
    return in.path("scan").isNumber() && scanIds.contains(in.path("scan").asLong());
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      n.forEach(c -> collect(c, out));
    } else {
      out.add(n);
    }
  }
}
