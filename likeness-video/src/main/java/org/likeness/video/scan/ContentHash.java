package org.likeness.video.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A file's identity: the hex sha256 of its bytes, read in a stream (a video may be gigabytes). */
public final class ContentHash {
  private ContentHash() {}

  /** Hex sha256 of bytes held in memory (a photo read from elsewhere). */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hex sha256 of the file's content. */
  public static String sha256(Path file) throws IOException {
    return sha256(out -> Files.copy(file, out));
  }

  /** What writes the bytes to hash into the stream it is given (a file, a range read from elsewhere). */
  @FunctionalInterface
  public interface Source {
    /** Writes every byte to hash into {@code out}. */
    void writeTo(java.io.OutputStream out) throws IOException;
  }

  /** Hex sha256 of the bytes {@code source} writes, hashed as they come. */
  public static String sha256(Source source) throws IOException {
    MessageDigest md = digest();
    try (java.security.DigestOutputStream out = new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), md)) {
      source.writeTo(out);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
