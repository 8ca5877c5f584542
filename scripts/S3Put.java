import java.io.File;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code scripts/s3.sh put}: local files and folders copied under an s3a:// prefix, each file as one
 * object through S3A's own upload. FsShell -put is not used: it first checks the target folder, which
 * an S3 prefix without a marker object does not have.
 * Usage: java -cp HADOOP_S3A_CLASSPATH S3Put.java -D KEY=VALUE... FILE... s3a://BUCKET/PREFIX
 */
public final class S3Put {
  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration(false); // no core-site.xml to read: the settings come as -D
    conf.set("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-D")) {
        String[] kv = args[++i].split("=", 2);
        conf.set(kv[0], kv[1]);
      } else {
        rest.add(args[i]);
      }
    }
    String target = rest.remove(rest.size() - 1).replaceAll("/+$", "");
    int files = 0;
    try (FileSystem fs = FileSystem.newInstance(URI.create(target + "/"), conf)) {
      for (String src : rest) {
        files += put(fs, new File(src), target + "/" + new File(src).getName());
      }
    }
    System.err.println("s3: " + files + " files put under " + target);
  }

  private static int put(FileSystem fs, File src, String dst) throws Exception {
    if (src.isDirectory()) {
      int n = 0;
      File[] children = src.listFiles();
      java.util.Arrays.sort(children);
      for (File c : children) {
        n += put(fs, c, dst + "/" + c.getName());
      }
      return n;
    }
    fs.copyFromLocalFile(false, true, new Path(src.toURI()), new Path(dst));
    return 1;
  }
}
