package org.likeness.cli;

import java.nio.file.Path;
import java.util.Map;

/** Where Likeness keeps its state: {@code LIKENESS_HOME}, default {@code ~/.likeness}. */
final class Home {
  private Home() {}

  /** The installation's store, with template encryption when a key is configured in the environment. */
  static org.likeness.gallery.store.GalleryStore store(Map<String, String> env) {
    return org.likeness.gallery.store.GalleryStore.open(of(env),
        org.likeness.gallery.store.TemplateCipher.fromEnvironment(env).orElse(null));
  }

  static Path of(Map<String, String> env) {
    String h = env.get("LIKENESS_HOME");
    return h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".likeness");
  }
}
