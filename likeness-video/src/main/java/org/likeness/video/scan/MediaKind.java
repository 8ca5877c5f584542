package org.likeness.video.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Whether a file is a photo, a video, or neither, from its first bytes (a name can lie; a header rarely does). */
public enum MediaKind {
  PHOTO, VIDEO, OTHER;

  /** The kind of {@code file} by its magic numbers; OTHER when unreadable or unrecognised. */
  public static MediaKind of(Path file) {
    byte[] head = new byte[16];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      return OTHER;
    }
    return of(Arrays.copyOf(head, n));
  }


  /** The kind of a file that starts with {@code head} (at least 12 bytes for every format to be told apart). */
  public static MediaKind of(byte[] head) {
    if (starts(head, 0, 0xFF, 0xD8, 0xFF) || starts(head, 0, 0x89, 'P', 'N', 'G') || ascii(head, 0, "GIF8")
        || ascii(head, 0, "BM") || (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP"))
        || starts(head, 0, 'I', 'I', 0x2A, 0x00) || starts(head, 0, 'M', 'M', 0x00, 0x2A)) {
      return PHOTO;
    }
    if (ascii(head, 4, "ftyp")) { // ISO media: MP4, MOV, 3GP, but also HEIF/AVIF stills
      String brand = head.length >= 12 ? new String(head, 8, 4, StandardCharsets.ISO_8859_1) : "";
      return brand.startsWith("hei") || brand.startsWith("mif1") || brand.startsWith("avif") ? OTHER : VIDEO;
    }
    if (starts(head, 0, 0x1A, 0x45, 0xDF, 0xA3) // Matroska, WebM
        || (ascii(head, 0, "RIFF") && ascii(head, 8, "AVI ")) || ascii(head, 4, "moov") || ascii(head, 4, "mdat")
        || ascii(head, 4, "wide") || ascii(head, 4, "free") || ascii(head, 4, "skip") || ascii(head, 4, "pnot") // older QuickTime
        || starts(head, 0, 0x00, 0x00, 0x01, 0xBA)) { // MPEG program stream; transport streams need more than a header to tell

      return VIDEO;
    }
    return OTHER;
  }

  /** The MIME type to serve a file that starts with {@code head} as (the same magic numbers as {@link #of(byte[])}). */
  public static String mimeType(byte[] head) {
    if (starts(head, 0, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(head, 0, 0x89, 'P', 'N', 'G')) {
      return "image/png";
    }
    if (ascii(head, 0, "GIF8")) {
      return "image/gif";
    }
    if (ascii(head, 0, "BM")) {
      return "image/bmp";
    }
    if (ascii(head, 0, "RIFF")) {
      return ascii(head, 8, "WEBP") ? "image/webp" : ascii(head, 8, "AVI ") ? "video/x-msvideo" : "application/octet-stream";
    }
    if (starts(head, 0, 'I', 'I', 0x2A, 0x00) || starts(head, 0, 'M', 'M', 0x00, 0x2A)) {
      return "image/tiff";
    }
    if (starts(head, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
      return "video/webm"; // Matroska family: browsers play WebM, and many MKVs under that type
    }
    if (ascii(head, 4, "ftyp")) {
      return ascii(head, 8, "qt") ? "video/quicktime" : of(head) == VIDEO ? "video/mp4" : "application/octet-stream";
    }
    if (ascii(head, 4, "moov") || ascii(head, 4, "mdat") || ascii(head, 4, "wide") || ascii(head, 4, "free") || ascii(head, 4, "skip")
        || ascii(head, 4, "pnot")) {
      return "video/quicktime";
    }
    return starts(head, 0, 0x00, 0x00, 0x01, 0xBA) ? "video/mpeg" : "application/octet-stream";
  }

  /** {@link #mimeType(byte[])} of {@code file}'s first bytes. */
  public static String mimeType(Path file) throws IOException {
    byte[] head = new byte[16];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    return mimeType(Arrays.copyOf(head, n));
  }

  private static boolean starts(byte[] head, int at, int... bytes) {
    if (head.length < at + bytes.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if ((head[at + i] & 0xFF) != bytes[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean ascii(byte[] head, int at, String s) {
    return head.length >= at + s.length() && new String(head, at, s.length(), StandardCharsets.ISO_8859_1).equals(s);
  }
}
