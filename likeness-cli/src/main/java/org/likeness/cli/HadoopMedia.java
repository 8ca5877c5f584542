package org.likeness.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.likeness.server.http.MediaSource;
import org.likeness.spark.SparkSessions;

/**
 * The review pages' reader of media a Spark job recorded on HDFS or S3 ({@code hdfs://}, {@code s3a://}),
 * through Hadoop's file systems and the settings {@code spark scan} was given ({@code HADOOP_CONF_DIR},
 * {@code --conf spark.hadoop.*}): a range is one positioned read, so a player seeks in footage that
 * never left the cluster's store.
 */
final class HadoopMedia implements MediaSource {
  private static final Set<String> SCHEMES = Set.of("hdfs", "s3a");
  private final Configuration conf = new Configuration();

  /** A reader with these Spark settings' {@code spark.hadoop.*} entries as its Hadoop configuration. */
  HadoopMedia(Map<String, String> sparkSettings) {
    SparkSessions.hadoopSettings(sparkSettings.entrySet()).forEach(conf::set);
  }

  @Override
  public boolean reads(String uri) {
    int colon = uri.indexOf(':'); // the scheme from the text: a Spark job records Hadoop's paths unescaped (spaces, '%', '#')
    return colon > 0 && SCHEMES.contains(uri.substring(0, colon).toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public long length(String uri) throws IOException {
    Path p = new Path(uri);
    FileSystem fs = p.getFileSystem(conf); // cached per scheme and authority by Hadoop
    return fs.exists(p) ? fs.getFileStatus(p).getLen() : -1;
  }

  @Override
  public long version(String uri) throws IOException {
    Path p = new Path(uri);
    FileSystem fs = p.getFileSystem(conf);
    return fs.exists(p) ? fs.getFileStatus(p).getModificationTime() : -1;
  }

  @Override
  public void read(String uri, long from, long count, OutputStream out) throws IOException {
    Path p = new Path(uri);
    byte[] buf = new byte[1 << 16];
    try (FSDataInputStream in = p.getFileSystem(conf).open(p)) {
      long pos = from, end = from + count;
      while (pos < end) {
        int n = in.read(pos, buf, 0, (int) Math.min(buf.length, end - pos));
        if (n <= 0) {
          throw new IOException(uri + " ended at byte " + pos + " while " + end + " were promised");
        }
        out.write(buf, 0, n);
        pos += n;
      }
    }
  }
}
