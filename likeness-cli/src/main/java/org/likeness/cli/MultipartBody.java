package org.likeness.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A multipart/form-data request body of one file field, as the load benchmarks send photos.
 *
 * @param boundary the part boundary, for the Content-Type header
 * @param bytes the whole body
 */
record MultipartBody(String boundary, byte[] bytes) {
  /** One field {@code field} holding {@code content} as file {@code filename}, under a fresh boundary. */
  static MultipartBody of(String field, String filename, byte[] content) {
    String b = "----likeness" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("--" + b + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return new MultipartBody(b, out.toByteArray());
  }

  /** The Content-Type header value of this body. */
  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }
}
