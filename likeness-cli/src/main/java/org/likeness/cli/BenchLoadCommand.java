package org.likeness.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code likeness bench load}: N concurrent clients send real photos to {@code /v1/identify} on a
 * running server for a fixed time (loopback only). Reports throughput, latency percentiles and
 * status counts; exits non-zero if any 5xx other than the deliberate 503 came back.
 */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Load test a running server's /v1/identify (loopback).")
final class BenchLoadCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "Server base URL, e.g. http://127.0.0.1:8080 (loopback only).")
  URI url;

  @Option(names = "--key", required = true, description = "API key with the search role.")
  String key;

  @Option(names = "--gallery", required = true)
  String gallery;

  @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of photos to send, round robin.")
  Path images;

  @Option(names = "--clients", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int clients = 64;

  @Option(names = "--seconds", description = "Duration (default: ${DEFAULT-VALUE}).")
  int seconds = 60;

  @Option(names = "--warmup", description = "Seconds of load before measuring starts, so JIT and model warm-up are not counted (default: ${DEFAULT-VALUE}).")
  int warmup = 10;

  @Option(names = "--log", paramLabel = "FILE", description = "Also write one CSV line per measured request: start_ms,image,status,latency_ms.")
  Path log;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String host = url.getHost();
    if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"))) {
      throw new InputException("load tests target loopback only, not " + host);
    }
    List<MultipartBody> bodies = new ArrayList<>();
    try (var files = Files.walk(images)) {
      for (Path p : files.filter(Files::isRegularFile).filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)")).sorted().toList()) {
        bodies.add(MultipartBody.of("image", "x", Files.readAllBytes(p)));
      }
    }
    if (bodies.isEmpty()) {
      throw new InputException("no photos under " + images);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    URI target = url.resolve("/v1/identify?gallery=" + java.net.URLEncoder.encode(gallery, StandardCharsets.UTF_8));
    long measureFrom = System.nanoTime() + warmup * 1_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<Long> okLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failures = new AtomicInteger(), warmupErrors = new AtomicInteger(), next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      Thread.ofPlatform().daemon().start(() -> {
        try {
          while (System.nanoTime() < end) {
            int i = Math.floorMod(next.getAndIncrement(), bodies.size());
            HttpRequest req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(120)).header("X-API-Key", key)
                .header("Content-Type", bodies.get(i).contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i).bytes())).build();
            long t = System.nanoTime();
            try {
              HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
              if (t < measureFrom) {
                if (r.statusCode() >= 500 && r.statusCode() != 503) {
                  warmupErrors.incrementAndGet();
                } else if (r.statusCode() == 503) {
                  Thread.sleep(1000);
                }
                continue;
              }
              statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
              lines.add((t - measureFrom) / 1_000_000 + "," + i + "," + r.statusCode() + "," + (System.nanoTime() - t) / 1_000_000);
              if (r.statusCode() == 200) {
                okLatencies.add(System.nanoTime() - t);
              } else if (r.statusCode() == 503) {
                // A well-behaved client waits as told.
                Thread.sleep(Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")) * 1000);
              }
            } catch (java.io.IOException e) {
              failures.incrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    double elapsed = (System.nanoTime() - measureFrom) / 1e9;
    if (log != null) {
      lines.add(0, "start_ms,image,status,latency_ms");
      Files.write(log, lines);
    }
    long[] lat = okLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("clients", clients);
    r.put("warmupSeconds", warmup);
    r.put("seconds", Json.round(elapsed));
    r.put("images", bodies.size());
    Map<String, Integer> counts = new TreeMap<>();
    statuses.forEach((k, v) -> counts.put(k.toString(), v.get()));
    r.put("statuses", counts);
    r.put("transportErrors", failures.get());
    r.put("warmup5xx", warmupErrors.get());
    r.put("okPerSecond", Json.round(lat.length / elapsed));
    r.put("p50Ms", lat.length == 0 ? null : Json.round(lat[lat.length / 2] / 1e6));
    r.put("p99Ms", lat.length == 0 ? null : Json.round(lat[(int) Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)] / 1e6));
    r.put("maxMs", lat.length == 0 ? null : Json.round(lat[lat.length - 1] / 1e6));
    spec.commandLine().getOut().println(new Json().write(r));
    long bad5xx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500 && e.getKey() != 503).mapToInt(e -> e.getValue().get()).sum();
    return bad5xx == 0 && warmupErrors.get() == 0 && failures.get() == 0 ? 0 : 1;
  }
}
