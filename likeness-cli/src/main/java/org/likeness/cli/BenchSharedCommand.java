package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.likeness.gallery.audit.AuditLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code likeness bench shared}: a mixed load on one or more servers sharing a database (loopback
 * only). Clients identify, enrol new subjects, delete their own and submit video jobs, spread over
 * the servers; afterwards it proves through every server that nothing was lost (each acknowledged
 * enrolment not deleted is there), nothing came back (no deleted subject is there, and no identify
 * sent after a deletion was acknowledged named it), every acknowledged video job finished, and the
 * database's audit chain is intact. Exit 1 when a proof fails or a 5xx other than the gate's 503 came back.
 */
@Command(name = "shared", mixinStandardHelpOptions = true,
    description = "Mixed load (identify, enrol, delete, video jobs) on servers sharing one database, with proofs of nothing lost.")
final class BenchSharedCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--url", required = true, split = ",", description = "Server base URLs (loopback), clients spread over them.")
  List<URI> urls;
  @Option(names = "--key", required = true, description = "An admin key.")
  String key;
  @Option(names = "--gallery", required = true)
  String gallery;
  @Option(names = "--images", required = true, paramLabel = "DIR", description = "Photos of single faces: enrolled and identified.")
  Path images;
  @Option(names = "--video", paramLabel = "FILE", description = "A short video for the jobs (none: no video jobs).")
  Path video;
  @Option(names = "--clients", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int clients = 64;
  @Option(names = "--seconds", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  int seconds = 60;
  @Option(names = "--video-every", paramLabel = "SECONDS", description = "One video job per this many seconds, over all clients "
      + "(a job scans a whole clip: more would leave the cores to video alone) (default: ${DEFAULT-VALUE}).")
  double videoEvery = 10;
  @Option(names = "--seed", description = "Seed of the operation mix (default: ${DEFAULT-VALUE}).")
  long seed = 1;
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final Map<String, String> env;

  BenchSharedCommand(Map<String, String> env) {
    this.env = env;
  }

  /** One answered request. */
  private record Sample(String op, int status, long nanos) {}

  /** An identify answer: when it was sent and whom it named. */
  private record Named(long sentAt, List<String> subjects) {}

  /** What the run measured and proved. */
  record Report(int servers, int clients, int seconds, long answered, double perSecond, Map<String, Op> ops, Map<String, Long> statuses,
      Proof proof) {}

  /** One operation's answered count and latency percentiles (ms) of its answers. */
  record Op(long count, double p50, double p99) {}

  /** The proofs. */
  record Proof(int enrolmentsAcknowledged, int enrolmentsMissing, int deletionsAcknowledged, int deletedStillThere,
      int namedAfterDeletion, int jobsAcknowledged, int jobsUnfinished, long auditRecords, boolean auditIntact, boolean ok) {}

  @Override
  public Integer call() throws Exception {
    for (URI u : urls) {
      String h = u.getHost();
      if (!(h.equals("localhost") || h.startsWith("127."))) {
        throw new InputException("load tests target loopback only, not " + h);
      }
    }
    List<byte[]> photos = new ArrayList<>();
    try (var files = Files.walk(images)) {
      for (Path p : files.filter(Files::isRegularFile).filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)")).sorted().toList()) {
        photos.add(Files.readAllBytes(p));
      }
    }
    if (photos.isEmpty()) {
      throw new InputException("no photos in " + images);
    }
    byte[] clip = video == null ? null : Files.readAllBytes(video);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Named> named = new ConcurrentLinkedQueue<>();
    Map<String, Long> enrolled = new ConcurrentHashMap<>(), deleted = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> jobs = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicLong nextVideo = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    long start = System.nanoTime(), end = start + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread.ofPlatform().daemon(true).start(() -> {
        Random rnd = new Random(seed * 1000 + client);
        List<String> mine = new ArrayList<>();
        int n = 0;
        try {
          while (System.nanoTime() < end) {
            URI base = urls.get((client + n) % urls.size());
            double roll = rnd.nextDouble();
            byte[] photo = photos.get(rnd.nextInt(photos.size()));
            long t0 = System.nanoTime();
            int status = 0;
            try {
              if (roll < 0.12) {
                String subject = "load-" + client + "-" + n;
                HttpResponse<byte[]> r = send(http, multipart(base + "/v1/galleries/" + gallery + "/subjects/" + subject + "/faces", "image", photo));
                status = r.statusCode();
                samples.add(new Sample("enrol", status, System.nanoTime() - t0));
                if (r.statusCode() == 201) {
                  enrolled.put(subject, System.nanoTime());
                  mine.add(subject);
                }
              } else if (roll < 0.20 && !mine.isEmpty()) {
                String subject = mine.remove(rnd.nextInt(mine.size()));
                HttpResponse<byte[]> r = send(http, request(base + "/v1/galleries/" + gallery + "/subjects/" + subject).DELETE());
                status = r.statusCode();
                samples.add(new Sample("delete", status, System.nanoTime() - t0));
                if (r.statusCode() == 200) {
                  deleted.put(subject, System.nanoTime());
                }
              } else if (roll < 0.21 && clip != null && claimVideo(nextVideo)) {
                byte[] body = Arrays.copyOf(clip, clip.length + 1 + rnd.nextInt(1 << 16)); // another hash, the same video
                HttpResponse<byte[]> r = send(http, request(base + "/v1/videos?gallery=" + gallery + "&fps=1&name=load.mp4")
                    .header("Content-Type", "video/mp4").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
                status = r.statusCode();
                samples.add(new Sample("video", status, System.nanoTime() - t0));
                if (r.statusCode() == 202) {
                  jobs.add(JSON.readTree(r.body()).get("id").asText());
                }
              } else {
                HttpResponse<byte[]> r = send(http, multipart(base + "/v1/identify?gallery=" + gallery, "image", photo));
                status = r.statusCode();
                samples.add(new Sample("identify", status, System.nanoTime() - t0));
                if (r.statusCode() == 200) {
                  List<String> who = new ArrayList<>();
                  for (JsonNode f : JSON.readTree(r.body()).get("faces")) {
                    for (JsonNode cand : f.get("candidates")) {
                      who.add(cand.get("subject").asText());
                    }
                  }
                  named.add(new Named(t0, who));
                }
              }
            } catch (java.io.IOException e) {
              samples.add(new Sample("error", 0, System.nanoTime() - t0));
            }
            if (status == 503) {
              Thread.sleep(100); // a refusal says "later": clients back off instead of spinning on it
            }
            n++;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;

    // Proofs, through every server.
    int missing = 0, stillThere = 0;
    for (String subject : enrolled.keySet()) {
      boolean gone = deleted.containsKey(subject);
      for (URI base : urls) {
        int status = send(http, request(base + "/v1/galleries/" + gallery + "/subjects/" + subject).GET()).statusCode();
        if (!gone && status != 200) {
          missing++;
        }
        if (gone && status != 404) {
          stillThere++;
        }
      }
    }
    int namedAfter = 0;
    for (Named a : named) {
      for (String s : a.subjects()) {
        Long d = deleted.get(s);
        if (d != null && a.sentAt() > d) {
          namedAfter++;
        }
      }
    }
    int unfinished = 0;
    long waitUntil = System.nanoTime() + 600_000_000_000L;
    for (String job : jobs) {
      while (true) {
        JsonNode j = JSON.readTree(send(http, request(urls.get(0) + "/v1/jobs/" + job).GET()).body());
        String state = j.get("state").asText();
        if (state.equals("done") || state.equals("failed") || state.equals("cancelled")) {
          if (!state.equals("done")) {
            unfinished++;
          }
          break;
        }
        if (System.nanoTime() > waitUntil) {
          unfinished++;
          break;
        }
        Thread.sleep(500);
      }
    }
    AuditLog.Verification audit;
    try (AuditLog log = Home.audit(env)) {
      audit = log.verify();
    }
    boolean ok = missing == 0 && stillThere == 0 && namedAfter == 0 && unfinished == 0 && audit.intact();
    Proof proof = new Proof(enrolled.size(), missing, deleted.size(), stillThere, namedAfter, jobs.size(), unfinished, audit.records(),
        audit.intact(), ok);

    Map<String, List<Long>> byOp = new TreeMap<>();
    Map<String, Long> statuses = new TreeMap<>();
    long answered = 0, serverErrors = 0;
    for (Sample s : samples) {
      statuses.merge(s.op() + " " + s.status(), 1L, Long::sum);
      if (s.status() > 0 && s.status() < 500) { // latency of answers; a 503 refusal is counted, not timed
        answered++;
        byOp.computeIfAbsent(s.op(), k -> new ArrayList<>()).add(s.nanos());
      } else if (s.status() != 503) {
        serverErrors++;
      }
    }
    Map<String, Op> ops = new TreeMap<>();
    byOp.forEach((op, ns) -> {
      long[] v = ns.stream().mapToLong(Long::longValue).sorted().toArray();
      ops.put(op, new Op(v.length, v[(int) Math.min(v.length - 1, v.length * 0.50)] / 1e6, v[(int) Math.min(v.length - 1, v.length * 0.99)] / 1e6));
    });
    Report report = new Report(urls.size(), clients, seconds, answered, answered / elapsed, ops, statuses, proof);
    spec.commandLine().getOut().println(new Json().write(report));
    return ok && serverErrors == 0 ? 0 : Main.EXIT_INPUT; // a 5xx other than the gate's 503 is a fault
  }

  /** Whether this client may submit the next video job now (one per {@code --video-every} seconds, over all clients). */
  private boolean claimVideo(java.util.concurrent.atomic.AtomicLong next) {
    long now = System.nanoTime(), at = next.get();
    return now >= at && next.compareAndSet(at, now + (long) (videoEvery * 1e9));
  }

  private HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).header("X-API-Key", key);
  }

  private HttpRequest.Builder multipart(String url, String field, byte[] bytes) {
    MultipartBody body = MultipartBody.of(field, "x.jpg", bytes);
    return request(url).header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
  }

  private static HttpResponse<byte[]> send(HttpClient http, HttpRequest.Builder b) throws java.io.IOException, InterruptedException {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
