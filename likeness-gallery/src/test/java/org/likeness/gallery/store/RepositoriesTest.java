package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One session's repositories share its transactions; a new session is a connection of its own. */
@org.junit.jupiter.api.Tag("database") // run again on PostgreSQL by scripts/test.sh
class RepositoriesTest {
  private static final ScanStore.NewMedia MEDIA = new ScanStore.NewMedia("ab".repeat(32), "photo", "p.jpg", 10, null, null, 4, 4, null);

  @Test
  void aSessionsRepositoriesCommitAndRollBackTogether(@TempDir Path home) {
    try (Repositories r = Repositories.open(TestStorage.storage(home), null)) {
      assertThat(r.galleries().repositories()).isSameAs(r);
      assertThatThrownBy(() -> r.galleries().inTransaction(() -> {
        r.galleries().createGallery("g", "pack", 4);
        r.scans().save(MEDIA, "pack", "g", null, 1, null, List.of());
        r.jobs().add("j", "g", home.resolve("u").toString(), "u.mp4", 5, "t");
        throw new IllegalStateException("refused midway");
      })).hasMessage("refused midway");
      assertThat(r.galleries().gallery("g")).as("the gallery rolled back").isEmpty();
      assertThat(r.scans().scans()).as("with the scan").isEmpty();
      assertThat(r.jobs().job("j")).as("and the job").isEmpty();

      r.galleries().inTransaction(() -> {
        r.galleries().createGallery("g", "pack", 4);
        return r.scans().save(MEDIA, "pack", "g", null, 1, null, List.of());
      });
      assertThat(r.galleries().gallery("g")).isPresent();
      assertThat(r.scans().scans()).hasSize(1);
    }
  }

  @Test
  void aNewSessionSeesWhatTheFirstCommittedAndOutlivesIt(@TempDir Path home) {
    GalleryStore second;
    try (Repositories first = Repositories.open(TestStorage.storage(home), null)) {
      second = first.galleries().newSession();
      assertThat(second).isNotSameAs(first.galleries());
      assertThat(second.repositories()).isNotSameAs(first);
      first.galleries().createGallery("g", "pack", 4);
      assertThat(second.gallery("g")).as("committed by the first, read by the second").isPresent();
      second.repositories().jobs().add("j", "g", home.resolve("u").toString(), "u.mp4", 5, "t");
      assertThat(first.jobs().job("j")).as("and the other way").isPresent();
    }
    try (second) {
      assertThat(second.repositories().jobs().job("j")).as("closing the first leaves the second open").isPresent();
    }
  }
}
