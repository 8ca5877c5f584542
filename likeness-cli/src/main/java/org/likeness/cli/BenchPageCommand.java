package org.likeness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.geom.Box;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Candidate;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.StoredDecision;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.ScanStore;
import org.likeness.gallery.store.StoredSighting;
import org.likeness.server.LikenessServer;
import org.likeness.server.ServerConfig;
import org.likeness.server.auth.KeyStore;
import org.likeness.server.auth.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code likeness bench page --tracks 5000}: the footage page with a long scan in headless Chromium
 * (web-tests/footage-bench.mjs): a synthetic stored scan of N tracks (a tenth named among 50 people,
 * a third linked in pairs, each with a crop and ten boxes) served by a real
 * server; load time and scroll frame time.
 */
@Command(name = "page", mixinStandardHelpOptions = true,
    description = "The footage page with a long scan in headless Chromium: load time, scroll frame time, rows held in the page.")
final class BenchPageCommand implements Callable<Integer> {
  private final Map<String, String> env;
  @Mixin EngineArgs engineArgs;
  @Option(names = "--tracks", description = "Tracks in the scan (default: ${DEFAULT-VALUE}).") int tracks = 5000;
  @Option(names = "--web-tests", paramLabel = "DIR", description = "The web-tests folder (default: ${DEFAULT-VALUE}).")
  Path webTests = Path.of("web-tests");
  @Option(names = "--seed", description = "Data seed (default: ${DEFAULT-VALUE}).") long seed = 7;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  BenchPageCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    try (FaceEngine engine = engineArgs.open(env); ScratchHome home = new ScratchHome("likeness-bench-page");
        GalleryStore store = GalleryStore.open(home.path()); KeyStore keys = KeyStore.open(home.path());
        AuditLog audit = AuditLog.open(home.path())) {
      store.createGallery("bench", engine.pack().id(), engine.embedder().dimension());
      long scan = synthetic(store, engine.embedder().dimension());
      String key = keys.create("bench", Role.ADMIN, null).secret();
      try (LikenessServer server = new LikenessServer(engine, store, keys, audit, ServerConfig.defaults())) {
        int port = server.start("127.0.0.1", 0);
        Path script = webTests.resolve("footage-bench.mjs").toAbsolutePath();
        Process p = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + port, key, Long.toString(scan))
            .directory(script.getParent().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new InputException("the browser run failed: " + out);
        }
        String line = out.substring(out.lastIndexOf('\n') + 1);
        spec.commandLine().getOut().println(line.substring(0, line.length() - 1) + ",\"tracks\":" + tracks + "}");
        return 0;
      }
    }
  }

  /** Stores one video scan of {@code tracks} synthetic tracks over an hour; returns its id. */
  private long synthetic(GalleryStore store, int dim) throws Exception {
    Random rnd = new Random(seed);
    MatchPolicy rule = new MatchPolicy(SearchMethod.EXACT, Aggregation.MAX, 0.62, null);
    double hour = 3600;
    List<StoredSighting.New> rows = new ArrayList<>();
    for (int i = 0; i < tracks; i++) {
      double start = hour * i / tracks, end = start + 1 + rnd.nextDouble() * 4;
      StringBuilder boxes = new StringBuilder("[");
      for (int k = 0; k < 10; k++) {
        double t = start + (end - start) * k / 9;
        boxes.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT,
            "{\"time\":%.4f,\"box\":{\"x\":%d,\"y\":%d,\"width\":60,\"height\":70}}", t, 100 + k * 5, 80));
      }
      boxes.append(']');
      Candidate c = new Candidate(1 + rnd.nextInt(50), "person_" + rnd.nextInt(50), 0.3 + rnd.nextDouble() * 0.5, null, 1);
      Identification id = new Identification(List.of(c), i % 10 == 0 ? c : null);
      float[] template = new float[dim];
      template[rnd.nextInt(dim)] = 1;
      Integer link = i % 6 == 1 || i % 6 == 2 ? i - i % 6 + 2 : null; // pairs of tracks linked as one person
      rows.add(new StoredSighting.New(i + 1, start, end, 10, (start + end) / 2, new Box(100, 80, 60, 70), "{\"reasons\":[]}",
          boxes.toString(), template, crop(rnd), StoredDecision.json(id, rule, 5), link));
    }
    ScanStore scans = store.repositories().scans();
    return scans.save(new ScanStore.NewMedia("cd".repeat(32), "video", "upload:hour.mp4", 1, hour, 25.0, 1280, 720, null),
        store.requireGallery("bench").packId(), "bench", 5.0, (int) (hour * 5), null, rows).scan().id();
  }

  private static byte[] crop(Random rnd) throws java.io.IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
    int rgb = rnd.nextInt(0xffffff);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.setRGB(x, y, rgb ^ (x * y));
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
