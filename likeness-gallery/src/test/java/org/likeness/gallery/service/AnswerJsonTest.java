package org.likeness.gallery.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerJsonTest {
  record Inner(String a, @JsonInclude(JsonInclude.Include.NON_NULL) Integer b) {}

  record Outer(String z, Inner inner, List<Long> ids, String none) {}

  record Empty() {}

  @Test
  void writesComponentsInOrderWithNullsAsTheRecordSays() {
    AnswerJson json = new AnswerJson();
    Outer o = new Outer("last-name-first", new Inner("x", null), List.of(3L, 1L), null);
    assertThat(json.write(o)).isEqualTo("{\"z\":\"last-name-first\",\"inner\":{\"a\":\"x\"},\"ids\":[3,1],\"none\":null}");
    assertThat(json.fields(o).keySet()).containsExactly("z", "inner", "ids", "none");
    assertThat(json.mapper().valueToTree(o).toString()).isEqualTo(json.write(o)); // what Javalin renders is the same text
  }

  @Test
  void anEmptyAnswerIsAnEmptyObject() {
    assertThat(new AnswerJson().write(new Empty())).isEqualTo("{}");
  }
}
