package org.likeness.gallery.enroll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads bulk enrolment lists: a folder tree (one sub-folder per subject) or a CSV with header {@code subject,image}. */
public final class BulkSource {
  private BulkSource() {}

  /** Items from a folder or a CSV file. */
  public static List<EnrollItem> read(Path source) throws IOException {
    return Files.isDirectory(source) ? folder(source) : csv(source);
  }

  /** Every image file under each direct sub-folder, the sub-folder's name being the subject. */
  public static List<EnrollItem> folder(Path root) throws IOException {
    List<EnrollItem> out = new ArrayList<>();
    try (var subjects = Files.list(root)) {
      for (Path dir : subjects.filter(Files::isDirectory).sorted().toList()) {
        try (var files = Files.walk(dir)) {
          for (Path f : files.filter(Files::isRegularFile).filter(BulkSource::looksLikeImage).sorted().toList()) {
            out.add(new EnrollItem(dir.getFileName().toString(), f));
          }
        }
      }
    }
    return out;
  }

  /** Rows of a CSV with columns {@code subject} and {@code image}; relative paths resolve against its folder. */
  public static List<EnrollItem> csv(Path file) throws IOException {
    return csv(file, file.toAbsolutePath().getParent());
  }

  /** As {@link #csv(Path)}, relative paths resolving against {@code base}. */
  public static List<EnrollItem> csv(Path file, Path base) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(file + ": empty file");
    }
    String[] header = lines.get(0).replace("\uFEFF", "").split(",", -1);
    int is = -1, ii = -1;
    for (int i = 0; i < header.length; i++) {
      String h = header[i].strip().toLowerCase(Locale.ROOT);
      if (h.equals("subject")) {
        is = i;
      } else if (h.equals("image")) {
        ii = i;
      }
    }
    if (is < 0 || ii < 0) {
      throw new IOException(file + ": header must name columns subject and image");
    }
    List<EnrollItem> out = new ArrayList<>();
    for (int n = 1; n < lines.size(); n++) {
      if (lines.get(n).isBlank()) {
        continue;
      }
      String[] cells = lines.get(n).split(",", -1);
      if (cells.length <= Math.max(is, ii)) {
        throw new IOException(file + ":" + (n + 1) + ": expected " + header.length + " columns");
      }
      out.add(new EnrollItem(cells[is].strip(), base.resolve(cells[ii].strip())));
    }
    return out;
  }

  static boolean looksLikeImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".webp")
        || n.endsWith(".bmp") || n.endsWith(".tif") || n.endsWith(".tiff");
  }
}
