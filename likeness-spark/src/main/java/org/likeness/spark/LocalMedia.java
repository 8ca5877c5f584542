package org.likeness.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * A media file as a local path, which FFmpeg and the image decoders need: a local file is used
 * where it lies; one on another file system (HDFS, S3) is read from the executor's copy of it
 * ({@link MediaCopies}: one copy for all the tasks of that JVM that read the file).
 */
final class LocalMedia implements AutoCloseable {
  private final Path path;
  private final MediaCopies.Lease copy;

  private LocalMedia(Path path, MediaCopies.Lease copy) {
    this.path = path;
    this.copy = copy;
  }

  /** The file at {@code uri}; {@code hadoop} is the job's Hadoop configuration. */
  static LocalMedia open(String uri, Map<String, String> hadoop) throws IOException {
    URI u = URI.create(uri);
    if (u.getScheme() == null) {
      return new LocalMedia(Path.of(uri), null);
    }
    if (u.getScheme().equals("file")) {
      return new LocalMedia(Path.of(u), null);
    }
    MediaCopies.Lease lease = MediaCopies.executor().open(new org.apache.hadoop.fs.Path(u), configuration(hadoop));
    return new LocalMedia(lease.path(), lease);
  }

  /** A Hadoop configuration holding the job's settings. */
  static Configuration configuration(Map<String, String> settings) {
    Configuration c = new Configuration();
    settings.forEach(c::set);
    return c;
  }

  /** A listing's file system for {@code uri}. */
  static FileSystem fileSystem(String uri, Configuration conf) throws IOException {
    return new org.apache.hadoop.fs.Path(uri).getFileSystem(conf);
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    if (copy != null) {
      copy.close();
    }
  }
}
