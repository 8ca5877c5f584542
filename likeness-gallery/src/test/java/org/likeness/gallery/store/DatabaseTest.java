package org.likeness.gallery.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A URL names one database class, with what differs between the databases. */
class DatabaseTest {
  @Test
  void eachUrlNamesItsDatabase() {
    Database lite = Database.of("jdbc:sqlite:/tmp/x/likeness.db");
    assertThat(lite).isInstanceOf(SqliteDatabase.class);
    assertThat(lite.kind()).isEqualTo(Database.Kind.SQLITE);
    assertThat(lite.sqliteFile()).isEqualTo(Path.of("/tmp/x/likeness.db"));
    assertThat(lite.erasesDeleted()).as("secure delete and a WAL checkpoint").isTrue();
    assertThat(lite.forUpdateSkipLocked()).isEmpty();

    Database pg = Database.of("jdbc:postgresql://127.0.0.1:5432/likeness?user=u&password=secret");
    assertThat(pg).isInstanceOf(PostgresDatabase.class);
    assertThat(pg.kind()).isEqualTo(Database.Kind.POSTGRES);
    assertThat(pg.sqliteFile()).isNull();
    assertThat(pg.erasesDeleted()).as("dead rows, WAL and backups keep what was deleted").isFalse();
    assertThat(pg.forUpdateSkipLocked()).isEqualTo(" FOR UPDATE SKIP LOCKED");
    assertThat(pg.toString()).doesNotContain("secret");
  }

  @Test
  void otherUrlsAreRefusedWithWhatIsAccepted() {
    assertThatThrownBy(() -> Database.of("jdbc:mysql://h/db")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("jdbc:sqlite:").hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> Database.of("jdbc:sqlite::memory:")).isInstanceOf(InvalidInputException.class);
  }
}
