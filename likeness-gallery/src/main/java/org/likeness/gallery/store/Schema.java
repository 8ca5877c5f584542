package org.likeness.gallery.store;

import java.util.List;

/**
 * The database schema as an ordered list of migrations; {@code PRAGMA user_version} records how
 * many have been applied. Append, never edit, so every existing database can be brought forward.
 */
final class Schema {
  private Schema() {}

  static final List<String> MIGRATIONS = List.of(
      // 1: galleries, subjects, faces.
      """
      CREATE TABLE gallery (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        pack_id TEXT NOT NULL,
        dimension INTEGER NOT NULL,
        created TEXT NOT NULL
      );
      CREATE TABLE subject (
        id INTEGER PRIMARY KEY,
        gallery_id INTEGER NOT NULL REFERENCES gallery(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        external_id TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        created TEXT NOT NULL,
        UNIQUE (gallery_id, name)
      );
      CREATE TABLE face (
        id INTEGER PRIMARY KEY,
        gallery_id INTEGER NOT NULL REFERENCES gallery(id) ON DELETE CASCADE,
        subject_id INTEGER NOT NULL REFERENCES subject(id) ON DELETE CASCADE,
        image_sha256 TEXT NOT NULL,
        box_x REAL NOT NULL, box_y REAL NOT NULL, box_w REAL NOT NULL, box_h REAL NOT NULL,
        quality TEXT NOT NULL,
        template BLOB NOT NULL,
        crop BLOB,
        created TEXT NOT NULL,
        UNIQUE (subject_id, image_sha256)
      );
      CREATE INDEX face_gallery ON face (gallery_id, id);
      """,
      // 2: API keys (salted slow hashes only) and the hash-chained audit trail.
      """
      CREATE TABLE api_key (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        gallery TEXT,
        salt BLOB NOT NULL,
        hash BLOB NOT NULL,
        iterations INTEGER NOT NULL,
        created TEXT NOT NULL,
        revoked TEXT
      );
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        key_id TEXT,
        operation TEXT NOT NULL,
        gallery TEXT,
        inputs TEXT NOT NULL,
        results TEXT NOT NULL,
        prev TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      """);
}
