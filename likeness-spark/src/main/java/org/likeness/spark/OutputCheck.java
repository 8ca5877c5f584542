package org.likeness.spark;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.StoredSighting;

/**
 * What an import accepts of a job's output, which lies outside the installation and may have been
 * copied in part or written by something else: the rows the manifest counts, each media row of a
 * kind, hash and URI a job writes, each sighting numbered in order with a box. A failure names the
 * output and the row, and comes before anything of the output is stored where it can.
 */
final class OutputCheck {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.+");

  private OutputCheck() {}

  /** Refuses an output whose rows are not those its manifest counts, or whose media rows no job writes. */
  static void requireWhole(String dir, ScanOutput.Manifest m, List<Row> media, long sightings) {
    long failed = 0;
    for (Row r : media) {
      Object f = r.getAs("failed");
      String uri = r.getAs("uri");
      if (f == null || uri == null || !URI.matcher(uri).matches()) {
        throw new InvalidInputException(dir + ": a media row without its URI or outcome (" + uri + ")");
      }
      if ((Boolean) f) {
        failed++;
        continue;
      }
      String sha = r.getAs("sha256");
      String kind = r.getAs("kind");
      Long bytes = r.getAs("bytes");
      if (sha == null || !SHA256.matcher(sha).matches() || !("photo".equals(kind) || "video".equals(kind)) || bytes == null || bytes < 0
          || r.getAs("width") == null || r.getAs("height") == null || r.getAs("sampled_frames") == null) {
        throw new InvalidInputException(dir + ": media row " + uri + " is not one a job writes (sha256 " + sha + ", kind " + kind + ", "
            + bytes + " bytes)");
      }
    }
    if (media.size() != m.media() || failed != m.failed() || sightings != m.sightings()) {
      throw new InvalidInputException(dir + ": the output is not whole (its manifest counts " + m.media() + " media, " + m.failed()
          + " failed, " + m.sightings() + " sightings; found " + media.size() + ", " + failed + ", " + sightings
          + "): copy it again from where the job wrote it");
    }
  }

  /**
   * A sighting from its row, numbered after its media's {@code previous} (0 for the first: rows come
   * sorted by number, each once), its template and crop sealed when the output is ({@code seal}), in
   * the clear when not.
   */
  static StoredSighting.New sighting(Row row, int previous, OutputSeal seal, String dir) {
    Integer number = row.getAs("number");
    if (number == null || number <= previous || row.getAs("box_x") == null || row.getAs("box_y") == null || row.getAs("box_w") == null
        || row.getAs("box_h") == null || row.getAs("samples") == null) {
      throw new InvalidInputException(dir + ": sighting " + number + " of " + row.getAs("uri") + " is not one a job writes (numbered "
          + "after " + previous + ", once, with a box)");
    }
    boolean sealed = row.getAs("template_sealed") != null || row.getAs("crop_sealed") != null;
    boolean clear = row.getAs("template") != null || row.getAs("crop") != null;
    if (seal != null ? row.getAs("template_sealed") == null || clear : row.getAs("template") == null || sealed) {
      throw new InvalidInputException(dir + ": sighting " + number + " of " + row.getAs("uri") + (seal != null
          ? " is in the clear in a sealed output: not a row its job wrote" : " is sealed, and the output's manifest holds no key for it"));
    }
    return ScanOutput.sighting(row, seal);
  }
}
