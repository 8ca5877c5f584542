package org.likeness.gallery.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where an installation keeps its state, as explicit settings: the database (the system of
 * record), the folder of this process's search indexes (a cache rebuilt from the database), and
 * the folder of kept media (uploads kept for review), which servers sharing a database share too.
 *
 * @param database the system of record
 * @param indexes the search index cache of this process (or of processes on one host)
 * @param media kept uploads
 */
public record Storage(Database database, Path indexes, Path media) {
  /** The environment variable naming the database by JDBC URL (default: SQLite in the home folder). */
  public static final String DATABASE_URL = "LIKENESS_DATABASE_URL";
  /** The environment variable naming the search index folder. */
  public static final String INDEX_DIR = "LIKENESS_INDEX_DIR";
  /** The environment variable naming the kept media folder. */
  public static final String MEDIA_DIR = "LIKENESS_MEDIA_DIR";

  public Storage {
    java.util.Objects.requireNonNull(database, "database");
    indexes = indexes.toAbsolutePath().normalize();
    media = media.toAbsolutePath().normalize();
  }

  /** The single-host installation in {@code home}: SQLite {@code home/likeness.db}, {@code home/index}, {@code home/media}. */
  public static Storage local(Path home) {
    return new Storage(Database.sqlite(home), home.resolve("index"), home.resolve("media"));
  }

  /**
   * The settings in the environment, with {@code home} for what is not set: {@code LIKENESS_DATABASE_URL}
   * (else SQLite in {@code home}), {@code LIKENESS_INDEX_DIR} (else {@code home/index}, or for another
   * database {@code home/index-<digest of its URL>} so two databases never share cached indexes)
   * and {@code LIKENESS_MEDIA_DIR} (else {@code home/media}).
   */
  public static Storage fromEnvironment(Map<String, String> env, Path home) {
    String url = env.get(DATABASE_URL);
    Database db = url == null || url.isBlank() ? Database.sqlite(home) : Database.of(url);
    boolean homeDb = db instanceof SqliteDatabase s
        && s.sqliteFile().equals(home.resolve(Database.SQLITE_FILE).toAbsolutePath().normalize());
    Path indexes = setting(env, INDEX_DIR, homeDb ? home.resolve("index") : home.resolve("index-" + digest(db.toString())));
    Path media = setting(env, MEDIA_DIR, home.resolve("media"));
    return new Storage(db, indexes, media);
  }

  /**
   * A kept file's path as the database holds it: relative to the media folder when inside it, so
   * servers that mount the shared folder at different paths (and a copied database) still find it.
   */
  public String toStored(String path) {
    if (path == null) {
      return null;
    }
    Path p = Path.of(path).toAbsolutePath().normalize();
    return p.startsWith(media) ? media.relativize(p).toString() : path;
  }

  /** A kept file's path as the database holds it, made absolute against the media folder. */
  public String fromStored(String stored) {
    if (stored == null) {
      return null;
    }
    Path p = Path.of(stored);
    return p.isAbsolute() ? stored : media.resolve(p).toString();
  }

  private static Path setting(Map<String, String> env, String name, Path otherwise) {
    String v = env.get(name);
    return v == null || v.isBlank() ? otherwise : Path.of(v);
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
