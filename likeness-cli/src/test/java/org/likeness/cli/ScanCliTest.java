package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.gallery.store.GalleryStore;

/**
 * {@code scan}, {@code rescan} and {@code scans} end to end on a folder of real photos and the real
 * Hamilton clip: every media stored once by content hash (a re-run decodes nothing), verdicts
 * survive a rescan, a rescan follows the
 * gallery, and a deleted scan leaves no template or crop in the database file.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class ScanCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void scanResumeReviewRescanExportDelete(@TempDir Path home, @TempDir Path media, @TempDir Path out) throws Exception {
    Map<String, String> env = GalleryCliTest.env(home);
    assertThat(CliContractTest.run(env, "gallery", "create", "g").exit()).isZero();
    assertThat(CliContractTest.run(env, "enroll", "--gallery", "g", "--subject", "lin_manuel_miranda",
        GalleryCliTest.photo("examples/lin-manuel-miranda.png")).exit()).isZero();
    Path clip = Path.of(GalleryCliTest.photo("examples/short_hamilton_clip.mp4"));
    Files.copy(clip, media.resolve("clip.mp4"));
    Files.copy(Path.of(GalleryCliTest.photo("examples/two_people.jpg")), media.resolve("group.jpg"));
    Files.createDirectories(media.resolve("sub"));
    Files.copy(Path.of(GalleryCliTest.photo("examples/obama.jpg")), media.resolve("sub/obama.jpeg"));
    Files.writeString(media.resolve("notes.txt"), "not media");
    Files.writeString(media.resolve("fake.jpg"), "a text file named like a photo");

    CliContractTest.Run first = CliContractTest.run(env, "scan", media.toString(), "--gallery", "g", "--json");
    assertThat(first.exit()).as(first.err()).isZero();
    JsonNode j = first.json();
    assertThat(CliContractTest.fields(j)).containsExactly("gallery", "media", "scanned", "skipped", "failed", "otherFiles");
    assertThat(j.get("scanned").asInt()).isEqualTo(3);
    assertThat(j.get("otherFiles").asInt()).as("text files, one named .jpg, are told apart by content").isEqualTo(2);
    JsonNode video = find(j, "clip.mp4");
    assertThat(video.get("kind").asText()).isEqualTo("video");
    assertThat(video.get("status").asText()).isEqualTo("scanned");
    JsonNode result = video.get("result");
    assertThat(CliContractTest.fields(result)).containsExactly("scan", "media", "pack", "gallery", "sampledFps", "sampledFrames",
        "created", "identified", "error", "tracks");
    List<String> named = names(result.get("tracks"));
    assertThat(named).contains("lin_manuel_miranda");
    assertThat(named).allMatch(n -> n == null || n.equals("lin_manuel_miranda"));
    JsonNode photo = find(j, "group.jpg").get("result");
    assertThat(photo.get("faces")).hasSize(2);
    assertThat(names(photo.get("faces"))).containsOnlyNulls(); // Obama is not enrolled yet
    long videoScan = result.get("scan").asLong();
    long photoScan = photo.get("scan").asLong();

    // Resumable: the same content is not decoded again, whatever its name.
    Files.copy(clip, media.resolve("sub/same-clip-other-name.mov"));
    CliContractTest.Run again = CliContractTest.run(env, "scan", media.toString(), "--json");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.json().get("scanned").asInt()).isZero();
    assertThat(again.json().get("skipped").asInt()).isEqualTo(4);
    assertThat(find(again.json(), "same-clip-other-name.mov").get("result").get("scan").asLong()).isEqualTo(videoScan);

    // A verdict, kept through a rescan; the rescan follows the gallery (Obama enrolled now).
    int mirandaTrack = trackOf(result.get("tracks"), "lin_manuel_miranda");
    CliContractTest.Run stale = CliContractTest.run(env, "scans", "review", Long.toString(videoScan), Integer.toString(mirandaTrack),
        "--confirm", "--subject", "obama", "--json");
    assertThat(stale.exit()).as("a verdict on a name the track no longer shows").isEqualTo(1);
    assertThat(stale.err()).contains("lin_manuel_miranda");
    CliContractTest.Run reject = CliContractTest.run(env, "scans", "review", Long.toString(videoScan), Integer.toString(mirandaTrack),
        "--confirm", "--subject", "lin_manuel_miranda", "--json");
    assertThat(reject.exit()).as(reject.err()).isZero();
    assertThat(reject.json().get("subject").asText()).isEqualTo("lin_manuel_miranda");
    assertThat(reject.json().get("verdict").asText()).isEqualTo("confirmed");
    assertThat(reject.json().get("by").asText()).as("who, as the REST answer says").isNotBlank();
    CliContractTest.Run unknownVerdict = CliContractTest.run(env, "scans", "review", Long.toString(photoScan), "2", "--confirm");
    assertThat(unknownVerdict.exit()).isEqualTo(1);
    assertThat(unknownVerdict.err()).contains("names nobody");
    assertThat(CliContractTest.run(env, "enroll", "--gallery", "g", "--subject", "obama", GalleryCliTest.photo("examples/obama2.jpg")).exit()).isZero();
    // Enrolling re-decides the stored decisions the new face concerns: Obama is named in the group photo at once.
    JsonNode photoEnrolled = CliContractTest.run(env, "scans", "show", Long.toString(photoScan), "--json").json();
    assertThat(names(photoEnrolled.get("faces"))).contains("obama");
    CliContractTest.Run rescan = CliContractTest.run(env, "rescan", Long.toString(photoScan), Long.toString(videoScan), "--json");
    assertThat(rescan.exit()).as(rescan.err()).isZero();
    JsonNode photoChange = rescan.json().get("rescanned").get(0).get("changed");
    assertThat(photoChange).as("a rescan finds what enrolment already decided").isEmpty();
    JsonNode shown = CliContractTest.run(env, "scans", "show", Long.toString(videoScan), "--json").json();
    JsonNode kept = shown.get("tracks").get(mirandaTrack - 1);
    assertThat(kept.get("verdict").get("verdict").asText()).isEqualTo("confirmed");
    assertThat(kept.get("decision").get("subject").asText()).isEqualTo("lin_manuel_miranda");
    assertThat(kept.get("candidates").get(0).has("face")).as("candidates name the enrolled face they matched").isTrue();

    // Deleting a subject re-decides every stored decision that names it (no record of a match with a
    // deleted person) and leaves every other decision as it was.
    CliContractTest.Run gone = CliContractTest.run(env, "subjects", "delete", "--gallery", "g", "obama", "--json");
    assertThat(gone.exit()).as(gone.err()).isZero();
    assertThat(gone.json().get("scanDecisionsChanged").asInt()).isPositive();
    JsonNode photoNow = CliContractTest.run(env, "scans", "show", Long.toString(photoScan), "--json").json();
    assertThat(photoNow.toString()).doesNotContain("obama");
    assertThat(photoNow.get("faces").get(0).get("decision").get("subject").isNull()).as("nobody else clears the threshold").isTrue();
    JsonNode videoAfter = CliContractTest.run(env, "scans", "show", Long.toString(videoScan), "--json").json();
    JsonNode miranda = videoAfter.get("tracks").get(mirandaTrack - 1);
    assertThat(miranda.get("decision").get("subject").asText()).as("a decision naming someone else stays").isEqualTo("lin_manuel_miranda");
    assertThat(miranda.get("verdict").get("verdict").asText()).isEqualTo("confirmed");

    // Text an analyst reads: times as 00:00:01.2, names with score and FMR, and why a face is unknown.
    CliContractTest.Run shownText = CliContractTest.run(env, "scans", "show", Long.toString(videoScan));
    assertThat(shownText.out()).containsPattern("track \\d+ +00:00:0\\d\\.\\d-00:00:\\d\\d\\.\\d  lin_manuel_miranda 0\\.\\d{3}")
        .contains("[confirmed lin_manuel_miranda by ");
    CliContractTest.Run groupText = CliContractTest.run(env, "scans", "show", Long.toString(photoScan));
    assertThat(groupText.out()).as("Obama is deleted: the face says who came closest, against the threshold")
        .containsPattern("unknown: (closest \\S+ 0\\.\\d{3} < threshold 0\\.\\d{3}|nobody enrolled to compare with)");
    // Filters: only scans with an unknown face, only scans naming a subject, only scans with unreviewed names.
    JsonNode withUnknown = CliContractTest.run(env, "scans", "list", "--unknown", "--json").json().get("scans");
    assertThat(withUnknown).extracting(n -> n.get("scan").asLong()).contains(photoScan);
    JsonNode withMiranda = CliContractTest.run(env, "scans", "list", "--subject", "lin_manuel_miranda", "--json").json().get("scans");
    assertThat(withMiranda).extracting(n -> n.get("scan").asLong()).contains(videoScan).doesNotContain(photoScan);
    JsonNode nobody = CliContractTest.run(env, "scans", "list", "--subject", "nobody_at_all", "--json").json().get("scans");
    assertThat(nobody).isEmpty();
    // CSV for a spreadsheet: a header, one row per track, RFC 4180 quoting, timecodes.
    Path csv = out.resolve("scan.csv");
    assertThat(CliContractTest.run(env, "scans", "export", Long.toString(videoScan), csv.toString(), "--csv").exit()).isZero();
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).startsWith("scan,media,sha256,kind,number,start,end,startTime,endTime,");
    assertThat(lines).hasSize(1 + shown.get("tracks").size());
    assertThat(lines.get(mirandaTrack)).contains(",track," + mirandaTrack + ",", "lin_manuel_miranda", "confirmed", ",00:00:0");

    // Export, then delete for real: no row, and neither a template nor a crop left in the database file.
    Path export = out.resolve("scan.json");
    assertThat(CliContractTest.run(env, "scans", "export", Long.toString(videoScan), export.toString()).exit()).isZero();
    JsonNode exported = JSON.readTree(export.toFile());
    String crop = exported.get("tracks").get(0).get("crop").asText();
    assertThat(crop).startsWith("data:image/png;base64,");
    byte[] template = stored(home, videoScan, "template");
    byte[] cropBytes = stored(home, videoScan, "crop"); // as stored: sealed when a template key is set
    // A PostgreSQL server's files are not ours to read: there the row is checked gone, the bytes by SQLite's file.
    boolean files = !org.likeness.gallery.store.TestStorage.postgres();
    if (files) {
      assertThat(contains(dbBytes(home), Arrays.copyOfRange(cropBytes, cropBytes.length / 2, cropBytes.length / 2 + 64)))
          .as("the crop is in the file before the delete").isTrue();
    }
    CliContractTest.Run delete = CliContractTest.run(env, "scans", "delete", Long.toString(videoScan), "--json");
    assertThat(delete.exit()).as(delete.err()).isZero();
    assertThat(CliContractTest.run(env, "scans", "show", Long.toString(videoScan)).exit()).isEqualTo(1);
    if (files) {
      byte[] db = dbBytes(home);
      assertThat(contains(db, Arrays.copyOfRange(cropBytes, cropBytes.length / 2, cropBytes.length / 2 + 64))).isFalse();
      assertThat(contains(db, Arrays.copyOfRange(template, 0, 64))).as("template bytes gone").isFalse();
    }
    String audit = CliContractTest.run(env, "audit", "export").out();
    assertThat(audit).contains("\"scan\"", "\"rescan\"", "\"scan.verdict\"", "\"scan.export\"", "\"scan.delete\"");
  }

  private static JsonNode find(JsonNode scan, String name) {
    for (JsonNode m : scan.get("media")) {
      if (m.get("path").asText().endsWith(name)) {
        return m;
      }
    }
    throw new AssertionError("no media " + name + " in " + scan);
  }

  private static List<String> names(JsonNode sightings) {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode t : sightings) {
      JsonNode s = t.get("decision").get("subject");
      out.add(s.isNull() ? null : s.asText());
    }
    return out;
  }

  private static int trackOf(JsonNode tracks, String subject) {
    for (JsonNode t : tracks) {
      if (subject.equals(t.get("decision").get("subject").asText(null))) {
        return t.get("track").asInt();
      }
    }
    throw new AssertionError("no track of " + subject);
  }

  private static byte[] stored(Path home, long scan, String column) throws Exception {
    try (Connection c = org.likeness.gallery.store.TestStorage.database(home).connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT " + column + " FROM sighting WHERE scan_id = " + scan + " ORDER BY number LIMIT 1")) {
      assertThat(r.next()).isTrue();
      return r.getBytes(1);
    }
  }

  private static byte[] dbBytes(Path home) throws Exception {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (String f : List.of(GalleryStore.FILE, GalleryStore.FILE + "-wal")) {
      Path p = home.resolve(f);
      if (Files.exists(p)) {
        all.writeBytes(Files.readAllBytes(p));
      }
    }
    return all.toByteArray();
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    String h = HexFormat.of().formatHex(hay);
    String n = HexFormat.of().formatHex(needle);
    for (int i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) {
      if (i % 2 == 0) {
        return true;
      }
    }
    return false;
  }
}
