package org.likeness.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;

/** Locates the shared fixture photos and the installed default model pack for tests. */
public final class Fixtures {
  private Fixtures() {}

  /** The fixture photos (fixtures/face_recognition, committed; -Dlikeness.dataset names another copy). */
  public static Path dataset() {
    Path p = Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition"));
    assertThat(p).as("shared fixture dataset").isDirectory();
    return p;
  }

  /** A fixture file by its path inside the dataset. */
  public static Path photo(String relative) {
    Path p = dataset().resolve(relative);
    assertThat(Files.isRegularFile(p)).as(p.toString()).isTrue();
    return p;
  }

  /** The default pack, installed by scripts/fetch-models.sh (tests fail, never skip, when it is missing). */
  public static ModelPack pack() {
    return ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK);
  }
}
