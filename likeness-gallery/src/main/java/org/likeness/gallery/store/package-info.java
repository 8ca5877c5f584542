/** The system of record: galleries, subjects, faces, scans, clusters and jobs on SQLite or PostgreSQL, migrations, encryption at rest, typed failures. */
package org.likeness.gallery.store;
