package org.likeness.server.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import org.likeness.gallery.store.StoredScan;
import org.likeness.server.http.MediaSource;
import org.likeness.video.scan.ContentHash;

/**
 * Where a scan's media is served from, and the rule that a scan never serves another file: the
 * server's own sealed copy (an upload), or the file or URI it was scanned from, only while its
 * content is the content scanned. A path or URI comes from the store, and a Spark job's output
 * (written outside the installation) puts there whatever its rows say; so every byte served is of
 * a file whose sha256 was checked against the scan's. A photo is read once, checked and served from
 * those bytes; a video (gigabytes) is hashed once per state of the file (where, length, modification
 * time), the answer remembered, and its state checked again on every request. Thread-safe.
 */
final class ScanMedia {
  /** Files whose hash is remembered; past this many the memory starts over (each is hashed again once). */
  private static final int REMEMBERED = 4096;
  /** No photo is read past this size: no scanned photo is larger (the image decoder's limit is far below). */
  static final long MAX_PHOTO_BYTES = 256L << 20;

  /**
   * What serves a scan's media: a kept {@code file}, a local {@code file} scanned, or a {@code uri}
   * the media source reads ({@code length} bytes); a photo's checked {@code bytes} when read.
   */
  record Served(Path file, String uri, long length, byte[] bytes) {}

  /** A file as it stands: where, its length, when its content changed, which file it is and when its metadata changed (Unix). */
  private record State(String where, long length, long modified, String identity, long changed) {}

  private final MediaSource media;
  private final Map<State, FutureTask<String>> hashes = new ConcurrentHashMap<>();

  ScanMedia(MediaSource media) {
    this.media = media;
  }

  /**
   * Where the media would be served from, by its length alone (no content read): whether a page is
   * given a link to it. Null when there is nothing of that length to serve.
   */
  Served locate(StoredScan s) {
    try {
      Path kept = kept(s);
      if (kept != null) {
        return new Served(kept, null, -1, null);
      }
      String path = s.media().path();
      Path p = local(path);
      if (p != null) {
        return Files.isRegularFile(p) && Files.size(p) == s.media().bytes() ? new Served(p, null, -1, null) : null;
      }
      if (path.startsWith("upload:") || !media.reads(path)) {
        return null;
      }
      long length = media.length(path);
      return length == s.media().bytes() ? new Served(null, path, length, null) : null;
    } catch (IOException | RuntimeException e) { // an unreadable path or URI: nothing to serve
      return null;
    }
  }

  /** As {@link #locate}, and the content checked against the scan's sha256 (a photo's bytes read and kept); null when it is not that content. */
  Served verified(StoredScan s) {
    Served at = locate(s);
    if (at == null || (at.file() != null && s.media().storedFile() != null && at.file().equals(Path.of(s.media().storedFile())))) {
      return at; // the server's own copy: sealed (authenticated) or written by it
    }
    try {
      if (!s.media().video()) {
        byte[] bytes = readPhoto(at);
        return bytes != null && ContentHash.sha256(bytes).equals(s.media().sha256()) ? new Served(at.file(), at.uri(), bytes.length, bytes) : null;
      }
      return s.media().sha256().equals(hashOf(at)) ? at : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Path kept(StoredScan s) {
    String kept = s.media().storedFile();
    return kept != null && Files.isRegularFile(Path.of(kept)) ? Path.of(kept) : null;
  }

  /** A local path as a scan records it (a path, or {@code file:} as Hadoop writes one); null for another URI or an upload. */
  private static Path local(String path) {
    if (path.startsWith("file:")) { // unescaped, file:/a or file:///a
      return Path.of(path.substring("file:".length()).replaceFirst("^//(?=/)", ""));
    }
    if (path.startsWith("upload:") || path.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return null;
    }
    return Path.of(path);
  }

  private byte[] readPhoto(Served at) throws IOException {
    long length = at.file() != null ? Files.size(at.file()) : at.length();
    if (length > MAX_PHOTO_BYTES) {
      return null;
    }
    if (at.file() != null) {
      return Files.readAllBytes(at.file());
    }
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream((int) length);
    media.read(at.uri(), 0, length, all);
    return all.toByteArray();
  }

  /** The sha256 of a video where it is served from, computed once per state of the file. */
  private String hashOf(Served at) throws IOException {
    State state;
    if (at.file() != null) {
      BasicFileAttributes a = Files.readAttributes(at.file(), BasicFileAttributes.class);
      long changed = -1; // ctime: a writer can set the modification time back, not this
      try {
        changed = ((java.nio.file.attribute.FileTime) Files.getAttribute(at.file(), "unix:ctime")).to(java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        // not a Unix file system: length, modification time and file identity only
      }
      state = new State(at.file().toAbsolutePath().toString(), a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
          String.valueOf(a.fileKey()), changed);
    } else {
      state = new State(at.uri(), at.length(), media.version(at.uri()), null, -1); // a remote object: URI, length, modification time
    }
    if (hashes.size() > REMEMBERED) {
      hashes.clear();
    }
    FutureTask<String> task = new FutureTask<>(() -> at.file() != null ? ContentHash.sha256(at.file())
        : ContentHash.sha256(out -> media.read(at.uri(), 0, at.length(), out)));
    FutureTask<String> held = hashes.putIfAbsent(state, task);
    if (held == null) {
      held = task;
      task.run(); // one reader hashes; requests for the same file at once wait for it
    }
    try {
      return held.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while checking " + state.where(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      hashes.remove(state, held); // a failed read is tried again next time
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }
}
