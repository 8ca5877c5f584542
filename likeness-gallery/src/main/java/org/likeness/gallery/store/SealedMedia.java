package org.likeness.gallery.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Kept media sealed at rest: AES-256-GCM in fixed-size chunks, so a byte range is served by
 * decrypting only the chunks it touches (a player seeking in a sealed video reads what it shows).
 * The key is derived from the template key (HMAC-SHA256 of it over a label), so templates and
 * media never share a key, and rotating the template key re-seals both.
 *
 * <p>Format 1: a 24-byte header {@code "LKM1" || chunk size (int) || plain length (long) || nonce
 * prefix (8 random bytes)}, then each chunk's ciphertext and 16-byte tag. Chunk {@code i}'s IV is
 * the nonce prefix and {@code i}; its associated data is the header and {@code i}, so a chunk
 * cannot be moved, a header cannot be edited, and a truncated file fails on the chunk that is short.
 */
public final class SealedMedia {
  private static final byte[] MAGIC = "LKM1".getBytes(StandardCharsets.US_ASCII);
  /** Header bytes. */
  static final int HEADER = 24;
  private static final int TAG = 16;
  /** Plain bytes per chunk: 64 KiB, the size of a typical media read. */
  static final int CHUNK = 1 << 16;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /** A sealer whose key is derived from the 32-byte template key. */
  SealedMedia(byte[] templateKey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(templateKey, "HmacSHA256"));
      this.key = new SecretKeySpec(mac.doFinal("likeness media sealing v1".getBytes(StandardCharsets.US_ASCII)), "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code file} starts as a sealed file does. */
  public static boolean isSealed(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(MAGIC.length);
      return java.util.Arrays.equals(head, MAGIC);
    }
  }

  /**
   * Seals {@code plain} into {@code sealed} (written beside it under a temporary name, then moved
   * into place, so a crash leaves no half file under the final name). The plain file is left alone.
   */
  public void seal(Path plain, Path sealed) throws IOException {
    long length = Files.size(plain);
    try (InputStream in = Files.newInputStream(plain)) {
      write(sealed, length, (index, buf, n) -> {
        if (in.readNBytes(buf, 0, n) != n) {
          throw new IOException(plain + " ended before byte " + length + " while sealing it");
        }
      });
    }
  }

  /** Fills {@code buf[0, n)} with the plain bytes of chunk {@code index}. */
  @FunctionalInterface
  private interface Chunks {
    void fill(int index, byte[] buf, int n) throws IOException;
  }

  /** Writes a sealed file of {@code length} plain bytes, chunk by chunk from {@code chunks}, under a temporary name moved into place. */
  private void write(Path to, long length, Chunks chunks) throws IOException {
    Path tmp = to.resolveSibling(to.getFileName() + ".part");
    byte[] header = ByteBuffer.allocate(HEADER).put(MAGIC).putInt(CHUNK).putLong(length).put(nonce()).array();
    try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(header);
      byte[] buf = new byte[CHUNK];
      for (int i = 0; (long) i * CHUNK < length; i++) {
        int n = (int) Math.min(CHUNK, length - (long) i * CHUNK);
        chunks.fill(i, buf, n);
        out.write(cipher(Cipher.ENCRYPT_MODE, header, i).doFinal(buf, 0, n));
      }
    } catch (GeneralSecurityException e) {
      Files.deleteIfExists(tmp);
      throw new IllegalStateException(e);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The plain length of a sealed file (from its header). */
  public long length(Path sealed) throws IOException {
    try (FileChannel ch = FileChannel.open(sealed, StandardOpenOption.READ)) {
      return header(ch).getLong(8);
    }
  }

  /**
   * Writes plain bytes {@code [from, from + count)} of a sealed file to {@code out}, decrypting
   * only the chunks they lie in; fails (writing nothing more) at a chunk that does not open:
   * a wrong key, or an altered or truncated file.
   */
  public void read(Path sealed, long from, long count, OutputStream out) throws IOException {
    try (FileChannel ch = FileChannel.open(sealed, StandardOpenOption.READ)) {
      read(ch, sealed, from, count, out);
    }
  }

  /** As {@link #read(Path, long, long, OutputStream)}, on a channel already open on {@code sealed}. */
  private void read(FileChannel ch, Path sealed, long from, long count, OutputStream out) throws IOException {
    ByteBuffer h = header(ch);
    byte[] header = h.array();
    int chunk = h.getInt(4);
    long length = h.getLong(8);
    if (from < 0 || count < 0 || from + count > length) {
      throw new IOException("bytes " + from + "+" + count + " lie outside the sealed file's " + length);
    }
    long end = from + count;
    ByteBuffer buf = ByteBuffer.allocate(chunk + TAG);
    for (long i = from / chunk; i * chunk < end; i++) {
      int plainSize = (int) Math.min(chunk, length - i * chunk);
      buf.clear().limit(plainSize + TAG);
      long at = HEADER + i * (chunk + TAG);
      while (buf.hasRemaining()) {
        if (ch.read(buf, at + buf.position()) < 0) {
          throw new IOException("the sealed file " + sealed.getFileName() + " is truncated (chunk " + i + ")");
        }
      }
      byte[] plain;
      try {
        plain = cipher(Cipher.DECRYPT_MODE, header, (int) i).doFinal(buf.array(), 0, plainSize + TAG);
      } catch (javax.crypto.AEADBadTagException e) {
        throw new IOException("chunk " + i + " of " + sealed.getFileName() + " does not open with this key (wrong key, or altered)", e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      long chunkStart = i * chunk;
      int a = (int) Math.max(0, from - chunkStart), b = (int) Math.min(plainSize, end - chunkStart);
      out.write(plain, a, b - a);
    }
  }

  /** The whole plain content of a (small) sealed file. */
  public byte[] readAll(Path sealed) throws IOException {
    try (FileChannel ch = FileChannel.open(sealed, StandardOpenOption.READ)) {
      long n = header(ch).getLong(8);
      if (n > Integer.MAX_VALUE - 16) {
        throw new IOException(sealed + " is too large to read whole");
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) n);
      read(ch, sealed, 0, n, out);
      return out.toByteArray();
    }
  }

  /**
   * Re-seals {@code sealed} (readable by this sealer) with {@code next} into {@code to}, chunk by
   * chunk: no plain copy is written. {@code to} may be {@code sealed} itself: it is written beside
   * and moved over it once every chunk has been read.
   */
  public void reseal(Path sealed, SealedMedia next, Path to) throws IOException {
    try (FileChannel ch = FileChannel.open(sealed, StandardOpenOption.READ)) {
      java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream(CHUNK);
      next.write(to, header(ch).getLong(8), (index, buf, n) -> {
        plain.reset();
        read(ch, sealed, (long) index * CHUNK, n, plain);
        System.arraycopy(plain.toByteArray(), 0, buf, 0, n);
      });
    }
  }

  private byte[] nonce() {
    byte[] n = new byte[8];
    random.nextBytes(n);
    return n;
  }

  private static ByteBuffer header(FileChannel ch) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    while (h.hasRemaining()) {
      if (ch.read(h, h.position()) < 0) {
        throw new IOException("not a sealed media file (shorter than its header)");
      }
    }
    h.flip();
    if (!java.util.Arrays.equals(java.util.Arrays.copyOf(h.array(), 4), MAGIC)) {
      throw new IOException("not a sealed media file (format " + new String(h.array(), 0, 4, StandardCharsets.ISO_8859_1) + ")");
    }
    int chunk = h.getInt(4);
    if (chunk <= 0 || chunk > (1 << 24) || h.getLong(8) < 0) {
      throw new IOException("a sealed media file with an impossible header");
    }
    return h;
  }

  private Cipher cipher(int mode, byte[] header, int index) throws GeneralSecurityException {
    byte[] iv = ByteBuffer.allocate(12).put(header, 16, 8).putInt(index).array();
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, key, new GCMParameterSpec(TAG * 8, iv));
    c.updateAAD(header);
    c.updateAAD(ByteBuffer.allocate(4).putInt(index).array());
    return c;
  }
}
