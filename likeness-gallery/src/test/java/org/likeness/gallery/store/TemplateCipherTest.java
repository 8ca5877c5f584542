package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.likeness.gallery.testing.RandomTemplates;

/** AES-256-GCM sealing of templates: round trip, and every kind of tampering or misuse refused. */
class TemplateCipherTest {

  @RepeatedTest(10)
  void roundTripsAndRefusesTampering() {
    RandomTemplates t = new RandomTemplates(512);
    byte[] key = new byte[32];
    t.random().nextBytes(key);
    TemplateCipher cipher = new TemplateCipher(key);
    byte[] plain = Templates.encode(t.unit());
    byte[] sealed = cipher.encrypt(plain, "1/abc");
    assertThat(TemplateCipher.isEncrypted(sealed)).as(t.seed()).isTrue();
    assertThat(TemplateCipher.isEncrypted(plain)).as(t.seed()).isFalse();
    assertThat(cipher.decrypt(sealed, "1/abc")).as(t.seed()).isEqualTo(plain);
    assertThat(cipher.encrypt(plain, "1/abc")).as("a fresh nonce each time, " + t.seed()).isNotEqualTo(sealed);

    byte[] flipped = sealed.clone();
    int at = t.random().nextInt(flipped.length);
    flipped[at] ^= (byte) (1 + t.random().nextInt(255));
    assertThatThrownBy(() -> cipher.decrypt(flipped, "1/abc")).as(t.seed()).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> cipher.decrypt(sealed, "2/abc")).as("moved to another row, " + t.seed()).isInstanceOf(StoreException.class);
    byte[] otherKey = key.clone();
    otherKey[0] ^= 1;
    assertThatThrownBy(() -> new TemplateCipher(otherKey).decrypt(sealed, "1/abc")).as(t.seed()).isInstanceOf(StoreException.class);
    byte[] cut = Arrays.copyOf(sealed, sealed.length - 1 - t.random().nextInt(sealed.length / 2));
    assertThatThrownBy(() -> cipher.decrypt(cut, "1/abc")).as(t.seed()).isInstanceOf(RuntimeException.class);
  }

  @Test
  void keysMustBe32Bytes() {
    assertThatThrownBy(() -> new TemplateCipher(new byte[16])).isInstanceOf(StoreException.class).hasMessageContaining("32 bytes");
  }
}
