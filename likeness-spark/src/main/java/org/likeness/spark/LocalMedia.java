package org.likeness.spark;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * A media file as a local path, which FFmpeg and the image decoders need: a local file is used
 * where it lies; one on another file system (HDFS, S3) is copied to the executor's temporary
 * folder for the task and deleted after.
 */
final class LocalMedia implements AutoCloseable {
  private final Path path;
  private final boolean copy;

  private LocalMedia(Path path, boolean copy) {
    this.path = path;
    this.copy = copy;
  }

  /** The file at {@code uri}; {@code hadoop} is the job's Hadoop configuration. */
  static LocalMedia open(String uri, Map<String, String> hadoop) throws IOException {
    URI u = URI.create(uri);
    if (u.getScheme() == null) {
      return new LocalMedia(Path.of(uri), false);
    }
    if (u.getScheme().equals("file")) {
      return new LocalMedia(Path.of(u), false);
    }
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(u);
    String name = remote.getName();
    Path local = Files.createTempFile("likeness-media-", name.contains(".") ? name.substring(name.lastIndexOf('.')) : "");
    try (InputStream in = remote.getFileSystem(configuration(hadoop)).open(remote)) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(local);
      throw e;
    }
    return new LocalMedia(local, true);
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
  public void close() throws IOException {
    if (copy) {
      Files.deleteIfExists(path);
    }
  }
}
