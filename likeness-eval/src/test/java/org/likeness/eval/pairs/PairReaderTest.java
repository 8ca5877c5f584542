package org.likeness.eval.pairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairReaderTest {

  @Test
  void csvWithQuotesBomAndExtraColumns(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("p.csv"), "\uFEFFid,a,b,same\n1,\"x, y.jpg\",b.jpg,1\n2,c.jpg,\"d \"\"q\"\".jpg\",false\n\n");
    List<Pair> p = PairReader.read(f, dir);
    assertThat(p).hasSize(2);
    assertThat(p.get(0).a()).isEqualTo(dir.resolve("x, y.jpg"));
    assertThat(p.get(0).same()).isTrue();
    assertThat(p.get(1).b()).isEqualTo(dir.resolve("d \"q\".jpg"));
    assertThat(p.get(1).same()).isFalse();
  }

  @Test
  void csvWithoutSameColumnHasUnknownLabels(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("p.csv"), "a,b\na.jpg,b.jpg\n");
    assertThat(PairReader.read(f, dir).get(0).same()).isNull();
  }

  @Test
  void csvErrorsNameTheLine(@TempDir Path dir) throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.csv"), "a,b,same\na.jpg,b.jpg,maybe\n");
    assertThatThrownBy(() -> PairReader.read(bad, dir)).hasMessageContaining("bad.csv:2");
    Path noHeader = Files.writeString(dir.resolve("nh.csv"), "x,y\n");
    assertThatThrownBy(() -> PairReader.read(noHeader, dir)).hasMessageContaining("columns a and b");
  }

  @Test
  void lfwLayout(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("pairs.txt"), "2\t1\nAbel_Pacheco\t1\t4\nA_B\t1\tC_D\t2\nX\t2\t3\nY\t1\tZ\t12\n");
    assertThat(PairReader.detect(f)).isEqualTo(PairReader.Layout.LFW);
    List<Pair> p = PairReader.read(f, dir);
    assertThat(p).hasSize(4);
    assertThat(p.get(0).a()).isEqualTo(dir.resolve("Abel_Pacheco/Abel_Pacheco_0001.jpg"));
    assertThat(p.get(0).b()).isEqualTo(dir.resolve("Abel_Pacheco/Abel_Pacheco_0004.jpg"));
    assertThat(p.get(1).same()).isFalse();
    assertThat(p.get(1).b()).isEqualTo(dir.resolve("C_D/C_D_0002.jpg"));
    assertThat(p.get(3).b()).isEqualTo(dir.resolve("Z/Z_0012.jpg"));
    assertThat(p.stream().map(Pair::fold)).containsExactly(0, 0, 1, 1);
  }

  @Test
  void truncatedLfwFileIsAnError(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("pairs.txt"), "10\t300\nA\t1\t2\n");
    assertThatThrownBy(() -> PairReader.read(f, dir)).hasMessageContaining("expected 6000 pairs");
  }
}
