package org.likeness.gallery;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import org.likeness.gallery.enroll.EnrollItem;

/** The shared fixture photos and the installed default pack, for gallery tests. */
final class TestData {
  private TestData() {}

  static Path dataset() {
    return Path.of(System.getProperty("likeness.dataset", "../fixtures/face_recognition"));
  }

  static Path photo(String rel) {
    return dataset().resolve(rel);
  }

  static ModelPack pack() {
    return ModelCache.fromEnvironment(System.getenv()).open(ModelCache.DEFAULT_PACK);
  }

  /** One-person fixture photos by person (distinct files), for enrolment runs. */
  static final Map<String, List<String>> PEOPLE = Map.of(
      "obama", List.of("examples/obama.jpg", "examples/obama2.jpg", "examples/obama_small.jpg", "examples/obama-1080p.jpg",
          "tests/test_images/obama3.jpg", "examples/knn_examples/test/obama1.jpg"),
      "biden", List.of("examples/biden.jpg", "examples/knn_examples/train/biden/biden2.jpg"),
      "alex_lacamoire", List.of("examples/alex-lacamoire.png", "examples/knn_examples/train/alex_lacamoire/img1.jpg",
          "examples/knn_examples/test/alex_lacamoire1.jpg"),
      "kit_harington", List.of("examples/knn_examples/train/kit_harington/john1.jpeg",
          "examples/knn_examples/train/kit_harington/john2.jpeg", "examples/knn_examples/test/johnsnow_test1.jpg"),
      "rose_leslie", List.of("examples/knn_examples/train/rose_leslie/img1.jpg", "examples/knn_examples/train/rose_leslie/img2.jpg"));

  static List<EnrollItem> allItems() {
    return PEOPLE.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .flatMap(e -> e.getValue().stream().map(f -> new EnrollItem(e.getKey(), photo(f)))).toList();
  }
}
