/** The system of record: SQLite galleries, subjects and faces, migrations, encryption at rest, typed failures. */
package org.likeness.gallery.store;
