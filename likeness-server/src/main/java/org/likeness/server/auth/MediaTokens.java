package org.likeness.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived links to one stored video, for the page's video element (which cannot send an API
 * key header): {@code SCAN.EXPIRY.MAC}, an HMAC-SHA256 under a secret drawn when the server starts
 * (a restart voids every link; the page asks for a new one with its key).
 */
public final class MediaTokens {
  private final byte[] secret = new byte[32];
  private final long ttlSeconds;
  private final Clock clock;

  /** Tokens valid for {@code ttlSeconds}. */
  public MediaTokens(long ttlSeconds, Clock clock) {
    new SecureRandom().nextBytes(secret);
    this.ttlSeconds = ttlSeconds;
    this.clock = clock;
  }

  /** A token for scan {@code scanId}'s video. */
  public String issue(long scanId) {
    long expiry = clock.instant().getEpochSecond() + ttlSeconds;
    return scanId + "." + expiry + "." + mac(scanId + "." + expiry);
  }

  /** Whether {@code token} opens scan {@code scanId}'s video now. */
  public boolean valid(String token, long scanId) {
    if (token == null) {
      return false;
    }
    String[] parts = token.split("\\.");
    if (parts.length != 3 || !parts[0].equals(Long.toString(scanId))) {
      return false;
    }
    long expiry;
    try {
      expiry = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return false;
    }
    return expiry >= clock.instant().getEpochSecond()
        && MessageDigest.isEqual(mac(parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), parts[2].getBytes(StandardCharsets.US_ASCII));
  }

  private String mac(String message) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(secret, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(message.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
