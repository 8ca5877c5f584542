package org.likeness.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The headers every response carries: a Content-Security-Policy that lets the review pages run
 * their own inline scripts (by hash, so no injected script runs) and load only this server's data
 * and the blob/data images they make, framing refused, no content sniffing, no Referer (a video
 * link's token stays out of other servers' logs), and nothing stored by any cache.
 */
public final class SecurityHeaders {
  private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
  private final Map<String, String> headers = new LinkedHashMap<>();

  /** The headers for a server whose pages are {@code pages} (their HTML, as served). */
  public SecurityHeaders(List<String> pages) {
    List<String> hashes = new ArrayList<>();
    for (String html : pages) {
      Matcher m = SCRIPT.matcher(html);
      while (m.find()) {
        hashes.add("'sha256-" + sha256(m.group(1)) + "'");
      }
    }
    // Inline style attributes are set by the pages' scripts (track lanes), hence 'unsafe-inline' for styles only.
    headers.put("Content-Security-Policy", "default-src 'none'; script-src " + (hashes.isEmpty() ? "'none'" : String.join(" ", hashes))
        + "; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; media-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    headers.put("X-Frame-Options", "DENY");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    // Faces, footage, templates and the audit trail: never kept by a shared proxy (the key travels in
    // X-API-Key, which caches do not treat as credentials) nor in the browser's disk cache.
    headers.put("Cache-Control", "no-store");
  }

  /** Sets every header through {@code set}. */
  public void apply(BiConsumer<String, String> set) {
    headers.forEach(set);
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
