package org.likeness.server.http;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.likeness.gallery.store.SealedMedia;

/**
 * Serves a file (plain, or sealed at rest, or read from a {@link MediaSource}) whole (200) or the one range a {@code Range} header asks
 * (206), or answers 416, as {@link ByteRange} decides. The bytes are copied through one fixed buffer with positional reads,
 * and a read that makes no progress (the file shrank) ends the response: the work is bounded by
 * the bytes sent.
 */
public final class PartialContent {
  private static final int BUFFER = 1 << 16;

  /** Answers {@code ctx} with {@code file}'s bytes as {@code mimeType}, honouring its Range header. */
  public void send(Context ctx, Path file, String mimeType) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      send(ctx, ch.size(), (from, count, out) -> copy(ch, from, count, out), mimeType);
    }
  }

  /**
   * Answers {@code ctx} with the plain bytes of a sealed file, honouring its Range header: only the
   * chunks the range lies in are read and decrypted.
   */
  public void sendSealed(Context ctx, Path file, SealedMedia sealer, String mimeType) throws IOException {
    send(ctx, sealer.length(file), (from, count, out) -> sealer.read(file, from, count, out), mimeType);
  }

  /** Answers {@code ctx} with the bytes of the media at {@code uri} ({@code length} of them) read from {@code source}, honouring its Range header. */
  public void sendFrom(Context ctx, MediaSource source, String uri, long length, String mimeType) throws IOException {
    send(ctx, length, (from, count, out) -> source.read(uri, from, count, out), mimeType);
  }

  /** Writes bytes {@code [from, from + count)} of what is served. */
  @FunctionalInterface
  private interface Bytes {
    void copy(long from, long count, OutputStream out) throws IOException;
  }

  private static void send(Context ctx, long length, Bytes bytes, String mimeType) throws IOException {
    // No validator is ever sent, so no If-Range can match: the whole file is the answer (RFC 9110 §13.1.5).
    ByteRange range = ctx.header("If-Range") != null ? new ByteRange.Whole() : ByteRange.parse(ctx.header("Range"), length);
    HttpServletResponse res = ctx.res();
    res.setHeader("Accept-Ranges", "bytes");
    switch (range) {
      case ByteRange.Unsatisfiable u -> {
        res.setHeader("Content-Range", u.contentRange());
        throw new Problem(416, "Range not satisfiable", "the file holds " + length + " bytes");
      }
      case ByteRange.Part p -> {
        res.setStatus(206);
        res.setHeader("Content-Range", p.contentRange());
        body(res, p.first(), p.size(), bytes, mimeType);
      }
      case ByteRange.Whole w -> {
        res.setStatus(200);
        body(res, 0, length, bytes, mimeType);
      }
    }
  }

  private static void body(HttpServletResponse res, long from, long count, Bytes bytes, String mimeType) throws IOException {
    res.setContentType(mimeType);
    res.setContentLengthLong(count);
    OutputStream out = res.getOutputStream();
    bytes.copy(from, count, out);
    out.flush();
  }

  private static void copy(FileChannel ch, long from, long count, OutputStream out) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, count)));
    long pos = from, end = from + count;
    while (pos < end) {
      buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
      int n = ch.read(buf, pos);
      if (n <= 0) { // the file shrank since its size was read: stop; the short body tells the client
        throw new IOException("the file ended at byte " + pos + " while " + end + " were promised");
      }
      out.write(buf.array(), 0, n);
      pos += n;
    }
  }
}
