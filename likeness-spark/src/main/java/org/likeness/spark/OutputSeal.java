package org.likeness.spark;

import java.io.Serializable;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.StoreException;
import org.likeness.gallery.store.TemplateCipher;

/**
 * How a job's output keeps its templates and crops sealed outside the installation, as the
 * installation keeps its own: each value AES-256-GCM under a key of the job's own, with the job,
 * the media and the sighting as associated data (a value moved to another row does not open). The
 * job's key travels to the executors inside their tasks and is written nowhere in the clear: the
 * manifest holds it sealed with the installation's template key, so only an installation holding
 * that key imports the output. An installation without a template key writes its output plain,
 * as it stores its own templates.
 *
 * @param job the job's id, bound into every sealed value
 * @param key the job's 256-bit key
 */
record OutputSeal(String job, byte[] key) implements Serializable {
  /** A new job's seal. */
  static OutputSeal create() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return new OutputSeal(UUID.randomUUID().toString(), k);
  }

  /** The job's key sealed with the installation's {@code cipher}, for the manifest. */
  String wrapped(TemplateCipher cipher) {
    return Base64.getEncoder().encodeToString(cipher.encrypt(key, context(job)));
  }

  /** The seal of job {@code job} from its manifest's {@code wrapped} key; a clear error without the installation's key, or with another. */
  static OutputSeal unwrap(String job, String wrapped, TemplateCipher cipher, String dir) {
    if (cipher == null) {
      throw new InvalidInputException(dir + ": the output is sealed with its installation's template key; set LIKENESS_TEMPLATE_KEY or "
          + "LIKENESS_TEMPLATE_KEY_FILE to import it");
    }
    try {
      return new OutputSeal(job, cipher.decrypt(Base64.getDecoder().decode(wrapped), context(job)));
    } catch (StoreException | IllegalArgumentException e) {
      throw new InvalidInputException(dir + ": the output was sealed for another installation or another template key (" + e.getMessage()
          + ")");
    }
  }

  private static String context(String job) {
    return "spark-output/" + job;
  }

  /** {@code plain} sealed as the {@code what} ("template", "crop") of sighting {@code number} of media {@code sha256}. */
  byte[] seal(byte[] plain, String sha256, int number, String what) {
    return new TemplateCipher(key).encrypt(plain, context(job) + "/" + sha256 + "/" + number + "/" + what);
  }

  /** The value {@link #seal} sealed; refused when it was altered or moved from another row. */
  byte[] open(byte[] sealed, String sha256, int number, String what) {
    try {
      return new TemplateCipher(key).decrypt(sealed, context(job) + "/" + sha256 + "/" + number + "/" + what);
    } catch (StoreException e) {
      throw new InvalidInputException("the " + what + " of sighting " + number + " of media " + sha256 + " does not open: altered, or moved "
          + "from another row (" + e.getMessage() + ")");
    }
  }
}
