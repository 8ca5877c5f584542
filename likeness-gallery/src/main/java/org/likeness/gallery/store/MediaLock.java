package org.likeness.gallery.store;

/**
 * One writer per media at a time, across threads, processes and servers sharing a database: held
 * while a media is scanned or imported, released by {@link #close()}. The database decides how
 * (a file lock beside SQLite's file, an advisory lock in PostgreSQL); a dead holder's lock is
 * always dropped.
 */
public interface MediaLock extends AutoCloseable {
  @Override
  void close();
}
