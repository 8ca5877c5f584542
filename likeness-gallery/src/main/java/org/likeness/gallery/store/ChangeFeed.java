package org.likeness.gallery.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears, on PostgreSQL, every committed change to a gallery's faces or subjects made by any server
 * ({@code LISTEN likeness_changes}), so a server refreshes its index before its next search needs
 * it. A thread with a connection of its own; when the connection fails it reconnects and reports a
 * gap, after which the listener catches up everything (the change counter tells what changed).
 * Notifications only make refreshes early: correctness rests on the counter every search reads.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  /** The channel the schema's trigger notifies of gallery changes. */
  static final String CHANNEL = "likeness_changes";
  /** The channel of API key changes (revocations). */
  static final String KEYS = "likeness_keys";

  private final Database database;
  private final LongConsumer changed;
  private final java.util.function.Consumer<String> keyChanged;
  private final Runnable gap;
  private final Thread thread;
  private volatile boolean closing;
  private volatile Connection connection;

  private ChangeFeed(Database database, LongConsumer changed, java.util.function.Consumer<String> keyChanged, Runnable gap) {
    this.database = database;
    this.changed = changed;
    this.keyChanged = keyChanged;
    this.gap = gap;
    this.thread = Thread.ofPlatform().name("likeness-changes").daemon(true).unstarted(this::listen);
  }

  /**
   * Starts hearing changes: {@code changed} gets a gallery's id after each committed change to it,
   * {@code keyChanged} an API key's id after it is revoked or changed, {@code gap} runs after a
   * reconnect (anything may have been missed). Null for SQLite, where every process reads the
   * counter and there is no server to hear from.
   */
  public static ChangeFeed start(Database database, LongConsumer changed, java.util.function.Consumer<String> keyChanged, Runnable gap) {
    if (!(database instanceof PostgresDatabase)) {
      return null;
    }
    ChangeFeed f = new ChangeFeed(database, changed, keyChanged, gap);
    f.thread.start();
    return f;
  }

  private void listen() {
    boolean first = true;
    while (!closing) {
      try (Connection c = database.connect(); Statement s = c.createStatement()) {
        connection = c;
        s.execute("LISTEN " + CHANNEL);
        s.execute("LISTEN " + KEYS);
        if (!first) {
          gap.run(); // reconnected: what was committed meanwhile was not heard
        }
        first = false;
        org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
        while (!closing) {
          org.postgresql.PGNotification[] notes = pg.getNotifications(500);
          if (notes == null) {
            continue;
          }
          java.util.Set<Long> galleries = new java.util.TreeSet<>();
          for (org.postgresql.PGNotification n : notes) {
            if (n.getName().equals(KEYS)) {
              keyChanged.accept(n.getParameter());
              continue;
            }
            try {
              galleries.add(Long.parseLong(n.getParameter()));
            } catch (NumberFormatException e) {
              LOG.warn("ignoring a change notification '{}'", n.getParameter());
            }
          }
          for (long g : galleries) { // a bulk enrolment notifies per row: each gallery once per batch
            try {
              changed.accept(g);
            } catch (RuntimeException e) {
              LOG.warn("refreshing gallery {} after a change failed (the next search catches up)", g, e);
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closing) {
          return;
        }
        LOG.warn("the change feed lost its connection to {}; reconnecting", database, e);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
