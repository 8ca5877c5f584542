package org.likeness.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.Fixtures;

/** The optimisation level is measured once per CPU, runtime and model, remembered, and re-measured when the record is damaged. */
class SessionTunerTest {

  @Test
  void measuresOnceThenRemembers(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tuning.json");
    ModelSpec landmarks = Fixtures.pack().landmarks();
    SessionTuner.Choice first = new SessionTuner(file).choose(landmarks, 1);
    assertThat(first.measuredNow()).isTrue();
    assertThat(first.allMs()).isPositive();
    assertThat(first.extendedMs()).isPositive();
    assertThat(first.cpu()).isEqualTo(SessionTuner.cpuModel()).isNotBlank();
    // The fuller level keeps the place unless the other is clearly (5 %) faster.
    assertThat(first.level()).isEqualTo(first.extendedMs() < 0.95 * first.allMs()
        ? ai.onnxruntime.OrtSession.SessionOptions.OptLevel.EXTENDED_OPT : ai.onnxruntime.OrtSession.SessionOptions.OptLevel.ALL_OPT);
    assertThat(Files.readString(file)).contains(landmarks.file().getFileName().toString(), first.level().name());

    SessionTuner.Choice again = new SessionTuner(file).choose(landmarks, 1); // a later process
    assertThat(again.measuredNow()).isFalse();
    assertThat(again.level()).isEqualTo(first.level());
    assertThat(new SessionTuner(file).choose(landmarks, 2).measuredNow()).as("another thread count is another setting").isTrue();

    Files.writeString(file, "{ not json");
    assertThat(new SessionTuner(file).choose(landmarks, 1).measuredNow()).as("a damaged record is measured again").isTrue();
    assertThat(new SessionTuner(file).choose(landmarks, 1).measuredNow()).isFalse();
  }
}
