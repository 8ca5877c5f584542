package org.likeness.eval.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SamePersonListTest {
  /** Three identities: A (2 photos), B (2 photos), C (1 photo); photo vectors are given. */
  private static EmbeddedSet set(float[][] e) {
    return new EmbeddedSet("p", List.of("A/A_1.jpg", "A/A_2.jpg", "B/B_1.jpg", "B/B_2.jpg", "C/C_1.jpg"),
        new int[] {0, 0, 1, 1, 2}, List.of("A", "B", "C"), e, new boolean[5]);
  }

  private static float[][] orthogonal() {
    float[][] e = new float[5][5];
    for (int i = 0; i < 5; i++) {
      e[i][i] = 1;
    }
    return e;
  }

  @Test
  void identitiesAndPhotosExpandToTheirCrossIdentityPairs() {
    SamePersonList list = SamePersonList.parse(List.of(
        "# comment", "", "A B   # alias", "  C/C_1.jpg  A/A_2.jpg"), "t");
    assertThat(list.entries()).hasSize(2);
    assertThat(list.entries().get(0).why()).isEqualTo("alias");
    SamePersonList.Pairs p = list.pairsIn(set(orthogonal()));
    assertThat(p.size()).isEqualTo(4 + 1);
    assertThat(p.contains(0, 2)).isTrue();
    assertThat(p.contains(3, 1)).isTrue();
    assertThat(p.contains(4, 1)).isTrue();
    assertThat(p.contains(4, 0)).isFalse();
    assertThat(p.contains(0, 1)).isFalse(); // same identity: genuine, not listed
  }

  @Test
  void declaresAgreesWithThePairsOfASet() {
    SamePersonList list = SamePersonList.parse(List.of("A B", "C/C_1.jpg A/A_2.jpg"), "t");
    EmbeddedSet s = set(orthogonal());
    SamePersonList.Pairs p = list.pairsIn(s);
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        if (i != j) {
          assertThat(list.declares(s.paths().get(i), s.paths().get(j))).as(i + "," + j).isEqualTo(p.contains(i, j));
        }
      }
    }
  }

  @Test
  void badListsAreExplained() {
    assertThatThrownBy(() -> SamePersonList.parse(List.of("A"), "f.txt"))
        .hasMessageContaining("f.txt:1").hasMessageContaining("two names");
    assertThatThrownBy(() -> SamePersonList.parse(List.of("# x", "A B C"), "f.txt"))
        .hasMessageContaining("f.txt:2");
    assertThatThrownBy(() -> SamePersonList.parse(List.of("A A"), "f.txt")).hasMessageContaining("both sides");
    SamePersonList typo = SamePersonList.parse(List.of("A B", "A Bee"), "f.txt");
    assertThatThrownBy(() -> typo.pairsIn(set(orthogonal())))
        .hasMessageContaining("line 2").hasMessageContaining("Bee is no identity or photo");
    assertThatThrownBy(() -> typo.requireNamesIn(set(orthogonal()).paths())).hasMessageContaining("Bee");
    SamePersonList.parse(List.of("A B", "C/C_1.jpg B"), "f.txt").requireNamesIn(set(orthogonal()).paths());
    SamePersonList missingPhoto = SamePersonList.parse(List.of("A/A_3.jpg B"), "f.txt");
    assertThatThrownBy(() -> missingPhoto.pairsIn(set(orthogonal()))).hasMessageContaining("A/A_3.jpg");
  }

  /** The committed LFW list parses, and every name in it is an LFW identity or photo where a copy of LFW lies beside the checkout. */
  @Test
  void committedLfwListNamesLfwPhotos() throws Exception {
    SamePersonList list = SamePersonList.read(Path.of("..", "eval", "lfw-same-person.txt"));
    assertThat(list.entries()).hasSize(30);
    Path lfw = Path.of("..", "..", "shared", "datasets", "lfw", "images_deepfunneled");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(lfw), "no LFW copy beside the checkout");
    List<String> photos;
    try (var s = Files.walk(lfw, 2)) {
      photos = s.filter(Files::isRegularFile).map(p -> lfw.relativize(p).toString().replace('\\', '/')).toList();
    }
    list.requireNamesIn(photos);
  }

  @Test
  void readsAFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("l.txt"), "A/A_1.jpg B/B_2.jpg # same image\n");
    assertThat(SamePersonList.read(f).pairsIn(set(orthogonal())).size()).isEqualTo(1);
  }

  @Test
  void calibrationLeavesListedPairsOutOfTheImpostors() {
    // A's second photo is B's face: without the list it is the highest impostor pair
    float[][] e = orthogonal();
    e[1] = e[2].clone();
    EmbeddedSet s = set(e);
    ImpostorCalibration all = ImpostorCalibration.of(s);
    assertThat(all.impostorPairs()).isEqualTo(8);
    assertThat(all.maxImpostor()).isGreaterThan(0.99);
    ImpostorCalibration cleaned = ImpostorCalibration.of(s, SamePersonList.parse(List.of("A/A_2.jpg B"), "t").pairsIn(s));
    assertThat(cleaned.samePersonPairs()).isEqualTo(2);
    assertThat(cleaned.impostorPairs()).isEqualTo(6);
    assertThat(cleaned.genuinePairs()).isEqualTo(all.genuinePairs());
    assertThat(cleaned.maxImpostor()).isLessThan(0.01);
  }

  @Test
  void randomListsRemoveExactlyTheirPairs() {
    long seed = Long.getLong("tests.seed", new Random().nextLong());
    Random r = new Random(seed);
    int ids = 6, per = 3;
    List<String> paths = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int[] id = new int[ids * per];
    float[][] e = new float[ids * per][8];
    for (int k = 0; k < ids; k++) {
      names.add("P" + k);
      for (int j = 0; j < per; j++) {
        int i = k * per + j;
        paths.add("P" + k + "/P" + k + "_" + j + ".jpg");
        id[i] = k;
        for (int d = 0; d < 8; d++) {
          e[i][d] = (float) r.nextGaussian();
        }
      }
    }
    EmbeddedSet s = new EmbeddedSet("p", paths, id, names, e, new boolean[ids * per]);
    List<String> lines = new ArrayList<>();
    for (int n = 0; n < 4; n++) {
      int a = r.nextInt(ids), b = (a + 1 + r.nextInt(ids - 1)) % ids;
      String left = r.nextBoolean() ? names.get(a) : paths.get(a * per + r.nextInt(per));
      String right = r.nextBoolean() ? names.get(b) : paths.get(b * per + r.nextInt(per));
      lines.add(left + " " + right);
    }
    SamePersonList.Pairs pairs = SamePersonList.parse(lines, "random").pairsIn(s);
    ImpostorCalibration all = ImpostorCalibration.of(s);
    ImpostorCalibration cleaned = ImpostorCalibration.of(s, pairs);
    assertThat(cleaned.samePersonPairs()).as("seed %d, %s", seed, lines).isEqualTo(pairs.size());
    assertThat(cleaned.impostorPairs() + cleaned.samePersonPairs()).as("seed %d", seed).isEqualTo(all.impostorPairs());
    assertThat(cleaned.genuinePairs()).isEqualTo(all.genuinePairs());
  }
}
