package org.likeness.video.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The media files under the paths a user names, in a fixed order (sorted per folder, folders
 * walked depth first), so a re-run meets them in the same order. Hidden files and folders are
 * skipped; files that are neither photo nor video are counted, not returned.
 */
public final class MediaWalk {
  /** One file to scan. */
  public record Item(Path path, MediaKind kind) {}

  /** What a walk found: media to scan, and how many other files it passed over. */
  public record Found(List<Item> media, int others) {}

  private MediaWalk() {}

  /** Walks {@code roots}; a named file that is not media is an error (the user asked for it), not a silent skip. */
  public static Found walk(List<Path> roots) throws IOException {
    List<Item> media = new ArrayList<>();
    int others = 0;
    for (Path root : roots) {
      if (!Files.exists(root)) {
        throw new IOException(root + ": no such file or folder");
      }
      if (Files.isRegularFile(root)) {
        MediaKind k = MediaKind.of(root);
        if (k == MediaKind.OTHER) {
          throw new IOException(root + ": neither a photo nor a video this program reads (checked by content, not name)");
        }
        media.add(new Item(root, k));
        continue;
      }
      List<Path> files;
      try (Stream<Path> s = Files.walk(root)) {
        files = s.filter(Files::isRegularFile).filter(p -> !hidden(root, p)).sorted().toList();
      }
      for (Path f : files) {
        MediaKind k = MediaKind.of(f);
        if (k == MediaKind.OTHER) {
          others++;
        } else {
          media.add(new Item(f, k));
        }
      }
    }
    return new Found(List.copyOf(media), others);
  }

  private static boolean hidden(Path root, Path file) {
    for (Path part : root.relativize(file)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
