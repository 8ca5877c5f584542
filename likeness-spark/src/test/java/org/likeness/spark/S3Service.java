package org.likeness.spark;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 service on loopback for the tests: S3Proxy (the S3 API, signed requests checked) over a
 * jclouds file-system blob store in a folder, with one bucket; and the Spark settings a user gives
 * {@code --conf} to reach it through Hadoop's S3A client.
 */
public final class S3Service implements AutoCloseable {
  /** The access key the service accepts. */
  public static final String KEY = "likeness-test";
  private static final String SECRET = "a-secret-of-the-test-only";
  private final BlobStoreContext blobs;
  private final S3Proxy proxy;
  private final String bucket;

  /** Starts the service on a free port with {@code bucket} created, its objects kept under {@code dir}. */
  public S3Service(Path dir, String bucket) throws Exception {
    this.bucket = bucket;
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", dir.toString());
    blobs = ContextBuilder.newBuilder("filesystem").credentials("local", "local").overrides(p).build(BlobStoreContext.class);
    blobs.getBlobStore().createContainerInLocation(null, bucket);
    proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET)
        // The AWS SDK (2.30 on) sends x-amz-checksum-* headers that S3Proxy 3.0 does not implement and
        // would refuse (501 on a multi-object delete); it lets them by, as AWS itself takes them.
        .ignoreUnknownHeaders(true).build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
  }

  /** {@code s3a://BUCKET/path}. */
  public String uri(String path) {
    return "s3a://" + bucket + path;
  }

  /**
   * The Spark settings that reach this service: its endpoint, path-style buckets, plain HTTP and the
   * credentials (which a real deployment gives through AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
   */
  public Map<String, String> sparkSettings() {
    return Map.of(
        "spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:" + proxy.getPort(),
        "spark.hadoop.fs.s3a.endpoint.region", "us-east-1",
        "spark.hadoop.fs.s3a.path.style.access", "true",
        "spark.hadoop.fs.s3a.connection.ssl.enabled", "false",
        "spark.hadoop.fs.s3a.access.key", KEY,
        "spark.hadoop.fs.s3a.secret.key", SECRET);
  }

  /** The bucket as a Hadoop file system, through S3A with {@link #sparkSettings()}. */
  public FileSystem fileSystem() throws java.io.IOException {
    Configuration conf = new Configuration();
    sparkSettings().forEach((k, v) -> conf.set(k.substring("spark.hadoop.".length()), v));
    return FileSystem.newInstance(URI.create(uri("/")), conf);
  }

  /** The blob store behind the service, to see what S3A wrote as objects. */
  public BlobStore objects() {
    return blobs.getBlobStore();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    blobs.close();
  }
}
