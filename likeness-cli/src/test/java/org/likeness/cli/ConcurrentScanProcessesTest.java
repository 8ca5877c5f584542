package org.likeness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real processes scanning one folder at once (the fault: both scanned every file, both printed
 * "scanned" with different ids, and one printed id did not exist afterwards). Now one writer per
 * media across processes: each file is decoded once, both print the same scan ids, and every
 * printed id exists.
 */
class ConcurrentScanProcessesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void twoScansOfOneFolderAgreeOnEveryScan(@TempDir Path home, @TempDir Path media) throws Exception {
    for (String p : new String[] {"examples/obama.jpg", "examples/biden.jpg", "examples/two_people.jpg",
        "examples/knn_examples/test/kit_with_rose.jpg", "examples/short_hamilton_clip.mp4"}) {
      Path from = Path.of(GalleryCliTest.photo(p));
      Files.copy(from, media.resolve(from.getFileName()));
    }
    CrossProcessChangesTest.cli(home, "gallery", "create", "g");
    CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> scan(home, media));
    CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> scan(home, media));
    JsonNode first = JSON.readTree(a.get());
    JsonNode second = JSON.readTree(b.get());
    assertThat(first.get("scanned").asInt() + second.get("scanned").asInt()).as("each of the 5 files decoded once").isEqualTo(5);
    assertThat(first.get("skipped").asInt() + second.get("skipped").asInt()).isEqualTo(5);
    Map<String, Long> ids = new HashMap<>();
    for (JsonNode run : new JsonNode[] {first, second}) {
      for (JsonNode m : run.get("media")) {
        long id = m.get("result").get("scan").asLong();
        Long other = ids.putIfAbsent(m.get("sha256").asText(), id);
        assertThat(other == null ? id : other).as("both processes answer the same scan of %s", m.get("path").asText()).isEqualTo(id);
      }
    }
    JsonNode listed = JSON.readTree(CrossProcessChangesTest.cli(home, "scans", "list", "--json")).get("scans");
    assertThat(listed).hasSize(5);
    for (long id : ids.values()) {
      assertThat(CrossProcessChangesTest.cli(home, "scans", "show", Long.toString(id), "--json")).as("printed id %d exists", id)
          .contains("\"scan\":" + id);
    }
  }

  private static String scan(Path home, Path media) {
    try {
      return CrossProcessChangesTest.cli(home, "scan", media.toString(), "--gallery", "g", "--json");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
