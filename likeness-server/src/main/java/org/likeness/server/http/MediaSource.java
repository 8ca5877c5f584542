package org.likeness.server.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where the review pages read media a scan recorded by a URI outside this machine's files (a Spark
 * job's {@code hdfs://} or {@code s3a://} footage): its length, and ranges of its bytes for a player
 * that seeks. Plugged in where the server is wired; without one only local files are served.
 */
public interface MediaSource {
  /** A server that reads local files only. */
  MediaSource NONE = new MediaSource() {
    @Override
    public boolean reads(String uri) {
      return false;
    }

    @Override
    public long length(String uri) {
      return -1;
    }

    @Override
    public void read(String uri, long from, long count, OutputStream out) throws IOException {
      throw new IOException("no media source for " + uri);
    }
  };

  /** Whether this source reads {@code uri} (by its scheme). */
  boolean reads(String uri);

  /** The length in bytes of the media at {@code uri}, or -1 when nothing is there. */
  long length(String uri) throws IOException;

  /**
   * When the media at {@code uri} last changed (milliseconds, as its store says), or -1 when the store
   * does not say: a change of content under the same length is then seen.
   */
  default long version(String uri) throws IOException {
    return -1;
  }

  /** Writes bytes {@code [from, from + count)} of the media at {@code uri} to {@code out}. */
  void read(String uri, long from, long count, OutputStream out) throws IOException;
}
