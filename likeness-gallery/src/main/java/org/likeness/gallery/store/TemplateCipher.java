package org.likeness.gallery.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption of templates and crops at rest: AES-256-GCM, a fresh 96-bit IV per value, the
 * value's context (gallery and source image) as associated data so a ciphertext cannot be moved
 * to another row. Format: {@code "LKE1" || iv(12) || ciphertext+tag}. The key comes from
 * {@code LIKENESS_TEMPLATE_KEY} (base64 of 32 bytes) or the file named by
 * {@code LIKENESS_TEMPLATE_KEY_FILE}.
 */
public final class TemplateCipher {
  private static final byte[] MAGIC = "LKE1".getBytes(StandardCharsets.US_ASCII);
  private static final int IV = 12, TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();
  private final SealedMedia media;

  public TemplateCipher(byte[] key) {
    if (key.length != 32) {
      throw new StoreException("the template key must be 32 bytes (AES-256), got " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
    this.media = new SealedMedia(key);
  }

  /** The sealer of kept media files, with a key derived from this one. */
  public SealedMedia media() {
    return media;
  }

  /** The cipher configured in the environment, if any. */
  public static Optional<TemplateCipher> fromEnvironment(Map<String, String> env) {
    String b64 = env.get("LIKENESS_TEMPLATE_KEY");
    String file = env.get("LIKENESS_TEMPLATE_KEY_FILE");
    try {
      if (b64 != null && !b64.isBlank()) {
        return Optional.of(new TemplateCipher(Base64.getDecoder().decode(b64.strip())));
      }
      if (file != null && !file.isBlank()) {
        return Optional.of(new TemplateCipher(Base64.getDecoder().decode(Files.readString(Path.of(file)).strip())));
      }
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new StoreException("cannot read the template key: " + e.getMessage(), e);
    }
    return Optional.empty();
  }

  /** Whether a stored value is in this format. */
  public static boolean isEncrypted(byte[] value) {
    return value != null && value.length > MAGIC.length + IV && ByteBuffer.wrap(value, 0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC));
  }

  public byte[] encrypt(byte[] plain, String context) {
    try {
      byte[] iv = new byte[IV];
      random.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(plain);
      return ByteBuffer.allocate(MAGIC.length + IV + ct.length).put(MAGIC).put(iv).put(ct).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] decrypt(byte[] stored, String context) {
    if (!isEncrypted(stored)) {
      throw new StoreException("a stored template is not in the encrypted format (altered, or truncated)");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, MAGIC.length, IV));
      c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(stored, MAGIC.length + IV, stored.length - MAGIC.length - IV);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new StoreException("a stored template does not decrypt with this key (wrong key, or the value was altered)", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
