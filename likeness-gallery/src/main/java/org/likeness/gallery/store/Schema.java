package org.likeness.gallery.store;

import java.util.List;

/**
 * The database schema as ordered lists of migrations, one list per database, each migration a
 * list of statements run in one transaction (statements are listed, never split on {@code ;}:
 * trigger bodies hold semicolons). SQLite's {@code PRAGMA user_version} and PostgreSQL's
 * {@code likeness_schema} table record how many have been applied. Append, never edit, so every
 * existing database can be brought forward; a change to the schema is appended to both lists.
 */
final class Schema {
  private Schema() {}

  /** Migration 12 of SQLite, 2 of PostgreSQL. */
  private static final List<String> JOB_CLAIMS = List.of("ALTER TABLE job ADD COLUMN claims INTEGER NOT NULL DEFAULT 0");
  private static final List<String> JOB_LEASES = List.of("ALTER TABLE job ADD COLUMN owner TEXT",
      "ALTER TABLE job ADD COLUMN lease_until TEXT", "CREATE INDEX job_state ON job (state, created)");

  static final List<List<String>> SQLITE = List.of(
      // 1: galleries, subjects, faces.
      List.of(
          """
          CREATE TABLE gallery (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            pack_id TEXT NOT NULL,
            dimension INTEGER NOT NULL,
            created TEXT NOT NULL
          )
          """,
          """
          CREATE TABLE subject (
            id INTEGER PRIMARY KEY,
            gallery_id INTEGER NOT NULL REFERENCES gallery(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            external_id TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            created TEXT NOT NULL,
            UNIQUE (gallery_id, name)
          )
          """,
          """
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
          )
          """,
          """
          CREATE INDEX face_gallery ON face (gallery_id, id)
          """),
      // 2: API keys (salted slow hashes only) and the hash-chained audit trail.
      List.of(
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
          )
          """,
          """
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
          )
          """),
      // 3: face ids are never reused (AUTOINCREMENT), so an id names one template for ever and a
      // process holding a cached index can trust it; every change to a gallery's faces or subjects
      // bumps gallery.generation in the same transaction (triggers: no writer can forget), which
      // every reader checks before answering.
      concat(List.of(
          """
          CREATE TABLE face_v3 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            gallery_id INTEGER NOT NULL REFERENCES gallery(id) ON DELETE CASCADE,
            subject_id INTEGER NOT NULL REFERENCES subject(id) ON DELETE CASCADE,
            image_sha256 TEXT NOT NULL,
            box_x REAL NOT NULL, box_y REAL NOT NULL, box_w REAL NOT NULL, box_h REAL NOT NULL,
            quality TEXT NOT NULL,
            template BLOB NOT NULL,
            crop BLOB,
            created TEXT NOT NULL,
            UNIQUE (subject_id, image_sha256)
          )
          """,
          "INSERT INTO face_v3 SELECT id, gallery_id, subject_id, image_sha256, box_x, box_y, box_w, box_h, quality, template, crop, created FROM face",
          "DROP TABLE face",
          "ALTER TABLE face_v3 RENAME TO face",
          "CREATE INDEX face_gallery ON face (gallery_id, id)",
          "ALTER TABLE gallery ADD COLUMN generation INTEGER NOT NULL DEFAULT 0"), generationTriggers()),
      // 4: footage. A media file is known by its content hash; a scan is one pack's faces in it (a
      // photo's faces, or a video's tracks), each a sighting with its template and best crop
      // (encrypted like enrolled faces), its boxes over time, the machine's decision against the
      // scan's gallery and a reviewer's verdict. Server jobs are rows so a restart loses none.
      List.of(
          """
          CREATE TABLE media (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            sha256 TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('photo', 'video')),
            path TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            duration REAL, fps REAL,
            width INTEGER NOT NULL, height INTEGER NOT NULL,
            stored_file TEXT,
            created TEXT NOT NULL
          )
          """,
          """
          CREATE TABLE scan (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            pack_id TEXT NOT NULL,
            gallery TEXT,
            sampled_fps REAL,
            sampled_frames INTEGER NOT NULL,
            error TEXT,
            created TEXT NOT NULL,
            identified TEXT,
            UNIQUE (media_id, pack_id)
          )
          """,
          """
          CREATE TABLE sighting (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            start REAL, end REAL,
            samples INTEGER NOT NULL,
            best_time REAL,
            box_x REAL NOT NULL, box_y REAL NOT NULL, box_w REAL NOT NULL, box_h REAL NOT NULL,
            quality TEXT NOT NULL,
            boxes TEXT NOT NULL,
            template BLOB NOT NULL,
            crop BLOB,
            decision TEXT,
            verdict TEXT CHECK (verdict IN ('confirmed', 'rejected')),
            verdict_subject TEXT,
            verdict_by TEXT,
            verdict_at TEXT,
            UNIQUE (scan_id, number)
          )
          """,
          """
          CREATE TABLE job (
            id TEXT PRIMARY KEY,
            gallery TEXT,
            upload TEXT NOT NULL,
            name TEXT NOT NULL,
            fps REAL NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
            progress REAL NOT NULL DEFAULT 0,
            scan_id INTEGER,
            error TEXT,
            actor TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
          )
          """),
      // 5: unknown faces. Clusters of one pack's unknown sightings; a reviewer's decisions lock a
      // cluster (its pinned members stay, and two locked clusters are never joined by clustering),
      // cannot-links record "not the same person", and every decision keeps what undoing it needs.
      List.of(
          """
          CREATE TABLE cluster (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            pack_id TEXT NOT NULL,
            locked INTEGER NOT NULL DEFAULT 0,
            subject TEXT,
            gallery TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
          )
          """,
          """
          CREATE TABLE cluster_member (
            sighting_id INTEGER PRIMARY KEY REFERENCES sighting(id) ON DELETE CASCADE,
            cluster_id INTEGER NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
            pinned INTEGER NOT NULL DEFAULT 0
          )
          """,
          "CREATE INDEX cluster_member_cluster ON cluster_member (cluster_id)",
          """
          CREATE TABLE cluster_cannot (
            a INTEGER NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
            b INTEGER NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
            PRIMARY KEY (a, b),
            CHECK (a < b)
          )
          """,
          """
          CREATE TABLE cluster_decision (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            pack_id TEXT NOT NULL,
            time TEXT NOT NULL,
            actor TEXT,
            action TEXT NOT NULL,
            summary TEXT NOT NULL,
            undo TEXT NOT NULL,
            undone TEXT
          )
          """),
      // 6: a scan belongs to its gallery. The media row (and the one stored copy of an upload) is
      // still shared by content, but each gallery (or none) has its own scan of it: one per media,
      // pack and gallery, so a gallery's upload never adopts another gallery's scan. The table is
      // rebuilt without UNIQUE (media_id, pack_id), keeping ids and the AUTOINCREMENT counter (the
      // migration runs with foreign keys off, so dropping the old table deletes no sighting).
      List.of(
          """
          CREATE TABLE scan_v6 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
            pack_id TEXT NOT NULL,
            gallery TEXT,
            sampled_fps REAL,
            sampled_frames INTEGER NOT NULL,
            error TEXT,
            created TEXT NOT NULL,
            identified TEXT
          )
          """,
          "INSERT INTO scan_v6 SELECT id, media_id, pack_id, gallery, sampled_fps, sampled_frames, error, created, identified FROM scan",
          "DELETE FROM sqlite_sequence WHERE name = 'scan_v6'",
          "INSERT INTO sqlite_sequence (name, seq) SELECT 'scan_v6', seq FROM sqlite_sequence WHERE name = 'scan'",
          "DROP TABLE scan",
          "ALTER TABLE scan_v6 RENAME TO scan",
          "CREATE UNIQUE INDEX scan_media_pack_gallery ON scan (media_id, pack_id, COALESCE(gallery, ''))"),
      // 7: enrolment hygiene. A face that disagrees with the rest of its subject's faces is a
      // suspect, kept out of searches until a person confirms it ('confirmed' is never flagged again).
      List.of("ALTER TABLE face ADD COLUMN review TEXT CHECK (review IN ('suspect', 'confirmed'))"),
      // 8: a video job's decision rule: its target FPIR (null: the default).
      List.of("ALTER TABLE job ADD COLUMN fpir REAL"),
      // 9: what a scan calls its media (a path, or an upload's given name) is the scan's own: media
      // rows are shared by content across galleries, and one gallery's name for an upload must not
      // show in another's scan of the same bytes. Scans before this read the media's.
      List.of("ALTER TABLE scan ADD COLUMN label TEXT"),
      // 10: tracks of one video linked as one person: the number of the group's first track (null:
      // linked to none). Links depend on templates and times only, so a re-decision carries names
      // along them without decoding the video again.
      List.of("ALTER TABLE sighting ADD COLUMN link INTEGER"),
      // 11: a gallery's setting to keep enrolment crops for reviewers (off: data minimisation).
      List.of("ALTER TABLE gallery ADD COLUMN keep_crops INTEGER NOT NULL DEFAULT 0"),
      // 12: video jobs are claimed with a lease (several servers share the queue): the server that
      // runs a job and until when its claim holds; a claim not renewed in time passes to another.
      JOB_LEASES,
      // 13: how often a job was claimed since it was queued: one whose servers all stopped under it
      // (a crash, the kernel's OOM killer) fails after a few claims instead of felling each server in turn.
      JOB_CLAIMS);


  /** The identity column of a PostgreSQL table: ids never reused, like SQLite's AUTOINCREMENT. */
  private static final String ID = "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";

  /**
   * PostgreSQL's schema. Its first migration is the whole of SQLite's schema at version 11 (there
   * were no PostgreSQL databases before it), with PostgreSQL's types: 8-byte floats (its REAL is
   * 4 bytes), BYTEA for sealed bytes, BIGINT ids, {@code "end"} quoted (a reserved word), and the
   * generation counter kept by a trigger function.
   */
  static final List<List<String>> POSTGRES = List.of(
      List.of(
          "CREATE TABLE gallery (" + ID + ", name TEXT NOT NULL UNIQUE, pack_id TEXT NOT NULL, dimension INTEGER NOT NULL, "
              + "created TEXT NOT NULL, generation BIGINT NOT NULL DEFAULT 0, keep_crops INTEGER NOT NULL DEFAULT 0)",
          "CREATE TABLE subject (" + ID + ", gallery_id BIGINT NOT NULL REFERENCES gallery(id) ON DELETE CASCADE, "
              + "name TEXT NOT NULL, external_id TEXT, tags TEXT NOT NULL DEFAULT '[]', created TEXT NOT NULL, UNIQUE (gallery_id, name))",
          "CREATE TABLE face (" + ID + ", gallery_id BIGINT NOT NULL REFERENCES gallery(id) ON DELETE CASCADE, "
              + "subject_id BIGINT NOT NULL REFERENCES subject(id) ON DELETE CASCADE, image_sha256 TEXT NOT NULL, "
              + "box_x DOUBLE PRECISION NOT NULL, box_y DOUBLE PRECISION NOT NULL, box_w DOUBLE PRECISION NOT NULL, "
              + "box_h DOUBLE PRECISION NOT NULL, quality TEXT NOT NULL, template BYTEA NOT NULL, crop BYTEA, created TEXT NOT NULL, "
              + "review TEXT CHECK (review IN ('suspect', 'confirmed')), UNIQUE (subject_id, image_sha256))",
          "CREATE INDEX face_gallery ON face (gallery_id, id)",
          "CREATE TABLE api_key (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, gallery TEXT, salt BYTEA NOT NULL, "
              + "hash BYTEA NOT NULL, iterations INTEGER NOT NULL, created TEXT NOT NULL, revoked TEXT)",
          "CREATE TABLE audit (seq BIGINT PRIMARY KEY, time TEXT NOT NULL, key_id TEXT, operation TEXT NOT NULL, gallery TEXT, "
              + "inputs TEXT NOT NULL, results TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL)",
          "CREATE TABLE media (" + ID + ", sha256 TEXT NOT NULL UNIQUE, kind TEXT NOT NULL CHECK (kind IN ('photo', 'video')), "
              + "path TEXT NOT NULL, bytes BIGINT NOT NULL, duration DOUBLE PRECISION, fps DOUBLE PRECISION, width INTEGER NOT NULL, "
              + "height INTEGER NOT NULL, stored_file TEXT, created TEXT NOT NULL)",
          "CREATE TABLE scan (" + ID + ", media_id BIGINT NOT NULL REFERENCES media(id) ON DELETE CASCADE, pack_id TEXT NOT NULL, "
              + "gallery TEXT, sampled_fps DOUBLE PRECISION, sampled_frames INTEGER NOT NULL, error TEXT, created TEXT NOT NULL, "
              + "identified TEXT, label TEXT)",
          "CREATE UNIQUE INDEX scan_media_pack_gallery ON scan (media_id, pack_id, COALESCE(gallery, ''))",
          "CREATE TABLE sighting (" + ID + ", scan_id BIGINT NOT NULL REFERENCES scan(id) ON DELETE CASCADE, number INTEGER NOT NULL, "
              + "start DOUBLE PRECISION, \"end\" DOUBLE PRECISION, samples INTEGER NOT NULL, best_time DOUBLE PRECISION, "
              + "box_x DOUBLE PRECISION NOT NULL, box_y DOUBLE PRECISION NOT NULL, box_w DOUBLE PRECISION NOT NULL, "
              + "box_h DOUBLE PRECISION NOT NULL, quality TEXT NOT NULL, boxes TEXT NOT NULL, template BYTEA NOT NULL, crop BYTEA, "
              + "decision TEXT, verdict TEXT CHECK (verdict IN ('confirmed', 'rejected')), verdict_subject TEXT, verdict_by TEXT, "
              + "verdict_at TEXT, link INTEGER, UNIQUE (scan_id, number))",
          "CREATE TABLE job (id TEXT PRIMARY KEY, gallery TEXT, upload TEXT NOT NULL, name TEXT NOT NULL, fps DOUBLE PRECISION NOT NULL, "
              + "state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')), "
              + "progress DOUBLE PRECISION NOT NULL DEFAULT 0, scan_id BIGINT, error TEXT, actor TEXT, created TEXT NOT NULL, "
              + "updated TEXT NOT NULL, fpir DOUBLE PRECISION)",
          "CREATE TABLE cluster (" + ID + ", pack_id TEXT NOT NULL, locked INTEGER NOT NULL DEFAULT 0, subject TEXT, gallery TEXT, "
              + "created TEXT NOT NULL, updated TEXT NOT NULL)",
          "CREATE TABLE cluster_member (sighting_id BIGINT PRIMARY KEY REFERENCES sighting(id) ON DELETE CASCADE, "
              + "cluster_id BIGINT NOT NULL REFERENCES cluster(id) ON DELETE CASCADE, pinned INTEGER NOT NULL DEFAULT 0)",
          "CREATE INDEX cluster_member_cluster ON cluster_member (cluster_id)",
          "CREATE TABLE cluster_cannot (a BIGINT NOT NULL REFERENCES cluster(id) ON DELETE CASCADE, "
              + "b BIGINT NOT NULL REFERENCES cluster(id) ON DELETE CASCADE, PRIMARY KEY (a, b), CHECK (a < b))",
          "CREATE TABLE cluster_decision (" + ID + ", pack_id TEXT NOT NULL, time TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, "
              + "summary TEXT NOT NULL, undo TEXT NOT NULL, undone TEXT)",
          """
          CREATE FUNCTION likeness_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'DELETE' THEN
              UPDATE gallery SET generation = generation + 1 WHERE id = OLD.gallery_id;
            ELSE
              UPDATE gallery SET generation = generation + 1 WHERE id = NEW.gallery_id;
              IF TG_OP = 'UPDATE' AND OLD.gallery_id <> NEW.gallery_id THEN
                UPDATE gallery SET generation = generation + 1 WHERE id = OLD.gallery_id;
              END IF;
            END IF;
            RETURN NULL;
          END
          $$""",
          "CREATE TRIGGER face_bumps_generation AFTER INSERT OR UPDATE OR DELETE ON face FOR EACH ROW EXECUTE FUNCTION likeness_bump_generation()",
          "CREATE TRIGGER subject_bumps_generation AFTER INSERT OR UPDATE OR DELETE ON subject FOR EACH ROW EXECUTE FUNCTION likeness_bump_generation()"),
      JOB_LEASES,
      // 3: every change to a gallery's faces or subjects is also announced (NOTIFY likeness_changes,
      // the gallery's id), delivered at commit, so other servers refresh their indexes before the next
      // search asks; the counter still catches up whatever a listener missed.
      List.of("""
          CREATE OR REPLACE FUNCTION likeness_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'DELETE' THEN
              UPDATE gallery SET generation = generation + 1 WHERE id = OLD.gallery_id;
              PERFORM pg_notify('likeness_changes', OLD.gallery_id::text);
            ELSE
              UPDATE gallery SET generation = generation + 1 WHERE id = NEW.gallery_id;
              PERFORM pg_notify('likeness_changes', NEW.gallery_id::text);
              IF TG_OP = 'UPDATE' AND OLD.gallery_id <> NEW.gallery_id THEN
                UPDATE gallery SET generation = generation + 1 WHERE id = OLD.gallery_id;
                PERFORM pg_notify('likeness_changes', OLD.gallery_id::text);
              END IF;
            END IF;
            RETURN NULL;
          END
          $$"""),
      // 4: a key revoked (or its row changed) is announced too (NOTIFY likeness_keys), so every server
      // forgets what it remembered of that key at once instead of at its next re-read.
      List.of("""
          CREATE FUNCTION likeness_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            PERFORM pg_notify('likeness_keys', OLD.id);
            RETURN NULL;
          END
          $$""",
          "CREATE TRIGGER api_key_changed AFTER UPDATE OR DELETE ON api_key FOR EACH ROW EXECUTE FUNCTION likeness_key_changed()"),
      // 5: as SQLite's 13, how often a job was claimed since it was queued.
      JOB_CLAIMS);

  /** After every insert, update or delete of a face or subject: its gallery's generation + 1, in the same transaction. */
  private static List<String> generationTriggers() {
    List<String> out = new java.util.ArrayList<>();
    for (String table : List.of("face", "subject")) {
      for (String event : List.of("INSERT", "UPDATE", "DELETE")) {
        String row = event.equals("DELETE") ? "OLD" : "NEW";
        out.add("CREATE TRIGGER " + table + "_" + event.toLowerCase(java.util.Locale.ROOT) + "_bumps_generation AFTER " + event
            + " ON " + table + " BEGIN UPDATE gallery SET generation = generation + 1 WHERE id = " + row + ".gallery_id; END");
      }
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }
}
