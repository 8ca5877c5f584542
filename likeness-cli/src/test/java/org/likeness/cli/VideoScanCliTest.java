package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code video scan} on the real Hamilton clip (640x360, 29.97 fps, 10 s): Lin-Manuel Miranda sings
 * at the start and the end, Alex Lacamoire plays in profile in the middle, and the audience is shown
 * at the end. With both enrolled beside distractors, Miranda's tracks carry his name, and no track
 * carries anyone else's.
 */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class VideoScanCliTest {

  @Test
  void scansTheClipIntoNamedTracksWithTheContractShape(@TempDir Path home, @TempDir Path thumbs) throws Exception {
    Map<String, String> env = GalleryCliTest.env(home);
    assertThat(CliContractTest.run(env, "gallery", "create", "g").exit()).isZero();
    assertThat(CliContractTest.run(env, "enroll", "--gallery", "g", "--subject", "lin_manuel_miranda",
        GalleryCliTest.photo("examples/lin-manuel-miranda.png")).exit()).isZero();
    assertThat(CliContractTest.run(env, "enroll", "--gallery", "g", "--subject", "alex_lacamoire",
        GalleryCliTest.photo("examples/alex-lacamoire.png"), GalleryCliTest.photo("examples/knn_examples/train/alex_lacamoire/img1.jpg")).exit())
        .isZero();
    for (String[] d : new String[][] {{"biden", "examples/biden.jpg"}, {"kit_harington", "examples/knn_examples/train/kit_harington/john1.jpeg"},
        {"rose_leslie", "examples/knn_examples/train/rose_leslie/img1.jpg"}}) {
      assertThat(CliContractTest.run(env, "enroll", "--gallery", "g", "--subject", d[0], GalleryCliTest.photo(d[1])).exit()).isZero();
    }
    String clip = GalleryCliTest.photo("examples/short_hamilton_clip.mp4");
    Path annotated = thumbs.resolve("annotated.mp4");
    CliContractTest.Run run = CliContractTest.run(env, "video", "scan", clip, "--gallery", "g", "--thumbnails", thumbs.toString(),
        "--annotate", annotated.toString(), "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode j = run.json();
    JsonNode kept = CliContractTest.run(env, "scans", "list", "--json").json().get("scans");
    assertThat(kept).as("the scan is kept for review").hasSize(1);
    assertThat(kept.get(0).get("tracks").asInt()).isEqualTo(j.get("tracks").size());
    assertThat(CliContractTest.fields(j)).containsExactly("video", "durationSeconds", "fps", "width", "height", "sampledFps", "tracks",
        "scan", "replaced", "verdictsKept", "verdictsDropped");
    assertThat(j.get("scan").asLong()).isEqualTo(kept.get(0).get("scan").asLong());
    assertThat(j.get("replaced").asBoolean()).isFalse();
    assertThat(j.get("width").asInt()).isEqualTo(640);
    assertThat(j.get("height").asInt()).isEqualTo(360);
    assertThat(j.get("fps").asDouble()).isBetween(29.9, 30.0);
    assertThat(j.get("durationSeconds").asDouble()).isBetween(9.0, 10.5);
    assertThat(j.get("sampledFps").asDouble()).isEqualTo(5.0);
    List<String> named = new ArrayList<>();
    double previousStart = -1;
    for (JsonNode t : j.get("tracks")) {
      assertThat(CliContractTest.fields(t)).containsExactly("track", "start", "end", "samples", "best", "boxes", "decision", "candidates");
      assertThat(CliContractTest.fields(t.get("best"))).containsExactly("time", "box", "quality");
      assertThat(t.get("start").asDouble()).isLessThanOrEqualTo(t.get("end").asDouble()).isGreaterThanOrEqualTo(previousStart);
      previousStart = t.get("start").asDouble();
      assertThat(t.get("boxes")).hasSize(t.get("samples").asInt());
      for (JsonNode b : t.get("boxes")) {
        assertThat(CliContractTest.fields(b)).containsExactly("time", "box");
        assertThat(b.get("time").asDouble()).isBetween(t.get("start").asDouble(), t.get("end").asDouble());
      }
      // "smallFace" (its width) only on a track whose median box is under the pack's 36 px: decided on the small-face rule
      double width = org.likeness.engine.verify.SmallFaces.widthOf(java.util.stream.StreamSupport.stream(t.get("boxes").spliterator(), false)
          .mapToDouble(b -> b.get("box").get("width").asDouble()).toArray());
      if (width < 36) {
        assertThat(CliContractTest.fields(t.get("decision"))).containsExactly("subject", "score", "fmr", "fpir", "smallFace");
        assertThat(t.get("decision").get("smallFace").asDouble()).isEqualTo(width);
      } else {
        assertThat(CliContractTest.fields(t.get("decision"))).containsExactly("subject", "score", "fmr", "fpir");
      }
      JsonNode subject = t.get("decision").get("subject");
      named.add(subject.isNull() ? null : subject.asText());
      assertThat(Files.exists(thumbs.resolve("track-" + t.get("track").asInt() + ".png"))).isTrue();
    }
    assertThat(named.stream().filter("lin_manuel_miranda"::equals).count()).as("Miranda's tracks: %s", named).isGreaterThanOrEqualTo(2);
    assertThat(named).as("no track is given a wrong name").allMatch(n -> n == null || n.equals("lin_manuel_miranda") || n.equals("alex_lacamoire"));
    // Scanned again for the same gallery: the same scan id, and a reviewer's verdict is still there.
    int mirandaTrack = named.indexOf("lin_manuel_miranda") + 1;
    long scanId = j.get("scan").asLong();
    assertThat(CliContractTest.run(env, "scans", "review", Long.toString(scanId), Integer.toString(mirandaTrack), "--confirm").exit())
        .isZero();
    CliContractTest.Run rescanned = CliContractTest.run(env, "video", "scan", clip, "--gallery", "g", "--json");
    assertThat(rescanned.exit()).as(rescanned.err()).isZero();
    assertThat(rescanned.json().get("scan").asLong()).isEqualTo(scanId);
    assertThat(rescanned.json().get("replaced").asBoolean()).isTrue();
    assertThat(rescanned.json().get("verdictsKept").asInt()).isEqualTo(1);
    assertThat(rescanned.json().get("verdictsDropped").asInt()).isZero();
    JsonNode shown = CliContractTest.run(env, "scans", "show", Long.toString(scanId), "--json").json();
    assertThat(shown.get("tracks").get(mirandaTrack - 1).get("verdict").get("verdict").asText()).isEqualTo("confirmed");
    CliContractTest.Run text = CliContractTest.run(env, "video", "scan", clip, "--gallery", "g");
    assertThat(text.out()).contains("scan " + scanId, "same id", "1 verdict(s) kept");
    // The annotated copy is a video of the same size and length that FFmpeg reads back.
    CliContractTest.Run again = CliContractTest.run(env, "video", "scan", annotated.toString(), "--json");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.json().get("width").asInt()).isEqualTo(640);
    assertThat(again.json().get("durationSeconds").asDouble()).isBetween(8.5, 10.5);
    // Without a gallery: the same tracks, no decisions.
    CliContractTest.Run plain = CliContractTest.run(env, "video", "scan", clip, "--json");
    assertThat(plain.json().get("tracks")).hasSize(j.get("tracks").size());
    assertThat(CliContractTest.fields(plain.json().get("tracks").get(0))).containsExactly("track", "start", "end", "samples", "best", "boxes");
  }

  /** Frames stored sideways (a phone's portrait video) are turned upright before detection: the singer is found. */
  @Test
  void findsFacesInRotatedVideo() throws Exception {
    Path sideways = Path.of("../likeness-video/src/test/resources/hamilton-sideways.mp4"); // the module's working folder is likeness-cli
    CliContractTest.Run run = CliContractTest.run("video", "scan", sideways.toString(), "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.json().get("width").asInt()).isEqualTo(640);
    assertThat(run.json().get("tracks")).isNotEmpty();
  }

  @Test
  void unreadableVideosGetAClearError(@TempDir Path tmp) throws Exception {
    Path junk = tmp.resolve("junk.mp4");
    Files.write(junk, new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
    CliContractTest.Run bad = CliContractTest.run("video", "scan", junk.toString(), "--json");
    assertThat(bad.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(bad.err()).contains("junk.mp4");
    CliContractTest.Run photo = CliContractTest.run("video", "scan", GalleryCliTest.photo("examples/obama.jpg"), "--json");
    assertThat(photo.exit()).as("a photo is refused, not stored as a 0 s video").isEqualTo(Main.EXIT_INPUT);
    assertThat(photo.err()).contains("is a photo, not a video");
    CliContractTest.Run negative = CliContractTest.run("video", "scan", GalleryCliTest.photo("examples/short_hamilton_clip.mp4"),
        "--fps", "-1");
    assertThat(negative.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(negative.err()).contains("fps must be 0 (every frame) or a positive number");
    CliContractTest.Run missing = CliContractTest.run("video", "scan", tmp.resolve("nope.mp4").toString());
    assertThat(missing.exit()).isEqualTo(Main.EXIT_INPUT);
    assertThat(missing.err()).contains("no such file");
  }
}
