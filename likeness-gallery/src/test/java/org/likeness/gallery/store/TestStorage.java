package org.likeness.gallery.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The database a test runs on. By default SQLite in the test's home folder; with
 * {@code -Dlikeness.test.database=jdbc:postgresql://…} (scripts/test.sh starts one with
 * scripts/postgres.sh) each home folder gets its own schema of that PostgreSQL, named by a digest
 * of the folder's path, so every open of one home reaches the same data and no two tests share any.
 */
public final class TestStorage {
  /** The system property naming the PostgreSQL to run on. */
  public static final String PROPERTY = "likeness.test.database";

  private TestStorage() {}

  /** Whether tests run on PostgreSQL. */
  public static boolean postgres() {
    String url = System.getProperty(PROPERTY);
    return url != null && !url.isBlank();
  }

  /** The database of the installation in {@code home}. */
  public static Database database(Path home) {
    if (!postgres()) {
      return Database.sqlite(home);
    }
    String url = System.getProperty(PROPERTY).strip();
    String schema = "t_" + digest(home.toAbsolutePath().normalize().toString());
    Database server = Database.of(url);
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema + " in " + server + ": " + e.getMessage(), e);
    }
    return Database.of(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
  }

  /** Where the installation in {@code home} keeps its state, on the test database. */
  public static Storage storage(Path home) {
    return new Storage(database(home), home.resolve("index"), home.resolve("media"));
  }

  /** The store of the installation in {@code home}, on the test database; templates unencrypted. */
  public static GalleryStore open(Path home) {
    return GalleryStore.open(storage(home), null);
  }

  /** As {@link #open(Path)}, with a template cipher. */
  public static GalleryStore open(Path home, TemplateCipher cipher) {
    return GalleryStore.open(storage(home), cipher);
  }

  /** The environment that points a CLI or a server at the test database of {@code home}. */
  public static Map<String, String> environment(Path home) {
    Map<String, String> env = new HashMap<>();
    env.put("LIKENESS_HOME", home.toString());
    if (postgres()) {
      env.put(Storage.DATABASE_URL, database(home).url());
      env.put(Storage.INDEX_DIR, home.resolve("index").toString());
    }
    return env;
  }

  private static String digest(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 10);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
