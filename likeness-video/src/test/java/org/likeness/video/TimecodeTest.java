package org.likeness.video;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Times in footage as people read them. */
class TimecodeTest {
  @Test
  void hoursMinutesSecondsAndTenths() {
    assertThat(Timecode.of(0)).isEqualTo("00:00:00.0");
    assertThat(Timecode.of(83.44)).isEqualTo("00:01:23.4");
    assertThat(Timecode.of(59.96)).as("rounding carries into the minute").isEqualTo("00:01:00.0");
    assertThat(Timecode.of(3600 * 12 + 61.05)).isEqualTo("12:01:01.1");
    assertThat(Timecode.of(-3)).isEqualTo("00:00:00.0");
    assertThat(Timecode.span(1.2, 4)).isEqualTo("00:00:01.2-00:00:04.0");
  }
}
