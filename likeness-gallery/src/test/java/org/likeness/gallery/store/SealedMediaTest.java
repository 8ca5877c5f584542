package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealed media format 1: any range reads back exactly, and any alteration, truncation or wrong key fails. Seed: -Dtests.seed. */
class SealedMediaTest {
  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());
  private final Random random = new Random(SEED);
  private final String seed = "seed " + SEED + " (-Dtests.seed=" + SEED + ")";

  private byte[] key() {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return k;
  }

  @Test
  void everyRangeOfEverySizeReadsBackExactly(@TempDir Path dir) throws IOException {
    SealedMedia sealer = new TemplateCipher(key()).media();
    int c = SealedMedia.CHUNK;
    for (int size : List.of(0, 1, c - 1, c, c + 1, 3 * c, random.nextInt(5 * c))) {
      byte[] plain = new byte[size];
      random.nextBytes(plain);
      Path p = Files.write(dir.resolve("p" + size), plain), s = dir.resolve("s" + size);
      sealer.seal(p, s);
      assertThat(SealedMedia.isSealed(s)).isTrue();
      assertThat(SealedMedia.isSealed(p)).isFalse(); // random bytes: "LKM1" first has odds of 2^-32
      assertThat(sealer.length(s)).isEqualTo(size);
      assertThat(sealer.readAll(s)).as(seed).isEqualTo(plain);
      for (int i = 0; i < 20 && size > 0; i++) {
        int from = random.nextInt(size), count = random.nextInt(size - from + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sealer.read(s, from, count, out);
        assertThat(out.toByteArray()).as("%d+%d of %d, %s", from, count, size, seed).isEqualTo(Arrays.copyOfRange(plain, from, from + count));
      }
      if (size >= 32) {
        assertThat(indexOf(Files.readAllBytes(s), Arrays.copyOf(plain, 32))).as("no plain run in the sealed file").isEqualTo(-1);
      }
    }
  }

  @Test
  void alteredTruncatedOrWronglyKeyedFilesFail(@TempDir Path dir) throws IOException {
    SealedMedia sealer = new TemplateCipher(key()).media();
    byte[] plain = new byte[2 * SealedMedia.CHUNK + 100];
    random.nextBytes(plain);
    Path p = Files.write(dir.resolve("p"), plain), s = dir.resolve("s");
    sealer.seal(p, s);
    byte[] sealed = Files.readAllBytes(s);

    byte[] flipped = sealed.clone();
    int at = SealedMedia.HEADER + random.nextInt(sealed.length - SealedMedia.HEADER);
    flipped[at] ^= (byte) (1 << random.nextInt(8));
    Path f = Files.write(dir.resolve("flipped"), flipped);
    assertThatThrownBy(() -> sealer.readAll(f)).as(seed + ", byte " + at).isInstanceOf(IOException.class).hasMessageContaining("does not open");

    byte[] header = sealed.clone();
    header[12] ^= 1; // the plain length: every chunk's associated data
    Path h = Files.write(dir.resolve("header"), header);
    assertThatThrownBy(() -> sealer.readAll(h)).isInstanceOf(IOException.class);

    Path t = Files.write(dir.resolve("truncated"), Arrays.copyOf(sealed, sealed.length - 1 - random.nextInt(SealedMedia.CHUNK)));
    assertThatThrownBy(() -> sealer.readAll(t)).as(seed).isInstanceOf(IOException.class);

    SealedMedia other = new TemplateCipher(key()).media();
    assertThatThrownBy(() -> other.readAll(s)).isInstanceOf(IOException.class).hasMessageContaining("does not open");
    // Re-sealed with another key: the same bytes, and only the new key opens them.
    Path r = dir.resolve("resealed");
    sealer.reseal(s, other, r);
    assertThat(other.readAll(r)).isEqualTo(plain);
    assertThatThrownBy(() -> sealer.readAll(r)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> sealer.length(p)).isInstanceOf(IOException.class).hasMessageContaining("not a sealed media file");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    if (needle.length == 0) {
      return -1;
    }
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
