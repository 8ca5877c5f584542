package org.likeness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.audit.AuditLog;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.EnrollOutcome;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.link.Carrying;
import org.likeness.gallery.link.TrackLinker;
import org.likeness.gallery.match.Aggregation;
import org.likeness.gallery.match.Identification;
import org.likeness.gallery.match.MatchPolicy;
import org.likeness.gallery.search.SearchMethod;
import org.likeness.gallery.service.GalleryService;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.scan.ScanService;
import org.likeness.video.synthetic.IdentityScenes;
import org.likeness.video.synthetic.Scene;
import org.likeness.video.synthetic.SceneRenderer;
import org.likeness.video.synthetic.TrackingBenchmark;
import org.likeness.video.track.Sighting;
import org.likeness.video.track.Track;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code likeness eval scenes --root LFW}: identification in scripted footage. Each scene has two
 * watchlist people and {@code --strangers} strangers (LFW identities with three photos or more, drawn by seed), each
 * seen twice and apart: once close, once small, from their second and third photos; the watchlist
 * is the first photo of {@code --watchlist} people. Scenes are rendered, then scanned and
 * identified as {@code video scan} does (default rule); tracks are scored against the script:
 * named right, named wrong, strangers named, by face width, with names carried along track links
 * at several link thresholds and without.
 */
@Command(name = "scenes", mixinStandardHelpOptions = true,
    description = "Scripted scenes of LFW faces (watchlist people and strangers, each seen close and small): tracks named right and "
        + "wrong, with and without names carried along track links.")
final class EvalScenesCommand implements Callable<Integer> {
  /** Link thresholds compared, as per-comparison false-match rates. */
  static final double[] LINK_FMRS = {1e-3, 1e-4, 1e-5, 1e-6};
  /** Small appearances' face widths in pixels by default, one drawn per person. */
  static final double[] SMALL_WIDTHS = {16, 20, 24, 28, 32, 40};

  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "LFW's photos, one folder per person.")
  Path root;

  @Option(names = "--scenes", description = "Scenes rendered (default: ${DEFAULT-VALUE}).")
  int scenes = 24;

  @Option(names = "--small-widths", split = ",", paramLabel = "PX",
      description = "Face widths the small appearances are drawn from, one per person (default: 16,20,24,28,32,40).")
  List<Double> smallWidths = java.util.Arrays.stream(SMALL_WIDTHS).boxed().toList();

  @Option(names = "--watchlist", description = "People enrolled, first photo each (default: ${DEFAULT-VALUE}).")
  int watchlist = 500;

  @Option(names = "--strangers", description = "Strangers per scene, beside two watchlist people (default: ${DEFAULT-VALUE}).")
  int strangers = 1;

  @Option(names = "--augment", split = ",", paramLabel = "PX",
      description = "Lever: also enrol each watchlist photo scaled so its face is PX pixels wide (repeatable list).")
  List<Integer> augment = List.of();

  @Option(names = "--h264", paramLabel = "KBPS", description = "Render as H.264 at KBPS kbit/s, keyframes every 2 s (default: MPEG-4 at high quality).")
  int h264;

  @Option(names = "--blur-frames", paramLabel = "SHARE", description = "Share of frames in which each head is smeared by motion blur "
      + "(drawn per head and frame; default: ${DEFAULT-VALUE}).")
  double blurFrames;

  @Option(names = "--best-frames", paramLabel = "K", description = "Decide each track on the weighted mean of its K "
      + "highest-weighted frames (1-8; default: ${DEFAULT-VALUE}, what video scan does), or 0: of every frame (the rule before).")
  int bestFrames = org.likeness.video.track.Track.TEMPLATE_FRAMES;

  @Option(names = "--seed", description = "Draws people, sizes and motion (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--fps", description = "Frames sampled per second (default: ${DEFAULT-VALUE}).")
  double fps = 5;

  @Option(names = "--keep", paramLabel = "DIR", description = "Keep the rendered videos in DIR.")
  Path keep;

  @Option(names = "--dump", paramLabel = "FILE", description = "Also write every scored track to FILE, one JSON object a line: "
      + "scene, track, person, watchlisted, width, samples, template (for offline study of track scores).")
  Path dump;

  @Option(names = "--impostors", paramLabel = "DIR", description = "Also score every track against the clean templates an "
      + "'eval degrade --dump' run wrote to DIR (photos under --root), other people only: how often tracks of each face width reach "
      + "the clean FMR 1e-3 and 1e-4 thresholds, and the tracks decided as small faces, mapped, the small-face calibration's "
      + "(whether the rule measured on photos holds for tracks).")
  Path impostors;

  @Option(names = "--small-faces", paramLabel = "pack|none|FILE", description = "How small faces are decided: the pack's rule, none "
      + "(as any face, the rule before small faces had one), or the section FILE that 'eval degrade --fit-small-faces' wrote "
      + "(default: ${DEFAULT-VALUE}).")
  String smallFaces = "pack";

  @Option(names = "--people-out", paramLabel = "FILE", description = "Write the LFW people the scenes use (watchlist and strangers), one a "
      + "line, for 'eval degrade --fit-small-faces --exclude-people' to hold out.")
  Path peopleOut;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EvalScenesCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    if (bestFrames < 0 || bestFrames > org.likeness.video.track.Track.KEPT_FRAMES) {
      throw new InputException("--best-frames is between 0 (every frame) and " + org.likeness.video.track.Track.KEPT_FRAMES);
    }
    if (scenes < 1 || strangers < 0 || watchlist < 2 * scenes) {
      throw new InputException("--watchlist must hold the scenes' watchlist people: at least 2 x --scenes");
    }
    List<Path> people;
    try (Stream<Path> dirs = Files.list(root)) {
      people = new ArrayList<>(dirs.filter(d -> Files.isDirectory(d) && photos(d).size() >= 3).sorted().toList());
    }
    Collections.shuffle(people, new Random(seed));
    if (people.size() < watchlist + scenes * strangers) {
      throw new InputException(root + " has " + people.size() + " people with three photos or more; need "
          + (watchlist + scenes * strangers));
    }
    if (peopleOut != null) {
      Files.write(peopleOut, people.subList(0, watchlist + scenes * strangers).stream().map(p -> p.getFileName().toString()).toList());
    }
    var err = spec.commandLine().getErr();
    try (FaceEngine engine = engineArgs.open(env); ScratchHome home = new ScratchHome("likeness-eval-scenes");
        GalleryStore store = GalleryStore.open(home.path()); AuditLog audit = AuditLog.open(home.path());
        GalleryService service = new GalleryService(store, audit, engine)) {
      // rendered videos and augmented photos go with the scratch store unless kept
      Path dir = Files.createDirectories(keep != null ? keep : home.path().resolve("videos"));
      service.create("eval", "eval");
      List<EnrollItem> enrol = people.subList(0, watchlist).stream()
          .map(p -> new EnrollItem(p.getFileName().toString(), photos(p).get(0))).toList();
      List<EnrollItem> augmented = new ArrayList<>();
      for (int width : augment) {
        Path aug = Files.createDirectories(dir.resolve("augment-" + width));
        for (EnrollItem item : enrol) {
          java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(item.image().toFile());
          var faces = engine.detect(engine.decode(item.image()));
          if (faces.isEmpty()) {
            continue;
          }
          double faceWidth = faces.stream().mapToDouble(f -> f.box().width()).max().orElseThrow();
          Path out = aug.resolve(item.subject() + ".png");
          Files.write(out, org.likeness.eval.degrade.Degradation.parse("w" + width).apply(img, faceWidth));
          augmented.add(new EnrollItem(item.subject(), out));
        }
      }
      if (!augmented.isEmpty()) {
        enrol = new ArrayList<>(enrol);
        enrol.addAll(augmented);
      }
      long enrolled = service.enroll("eval", "eval", enrol, new Enroller.Options(false, false, Enroller.MultiFace.LARGEST),
          Runtime.getRuntime().availableProcessors(), o -> { }).stream().filter(o -> o.status() == EnrollOutcome.Status.ENROLLED).count();
      err.println("eval scenes: " + enrolled + " photos enrolled for " + watchlist + " watchlist people");
      MatchPolicy policy = service.policy(null, null, SearchMethod.EXACT, Aggregation.MAX);
      policy = switch (smallFaces) {
        case "pack" -> policy;
        case "none" -> policy.withSmallFaces(null);
        default -> policy.withSmallFaces(org.likeness.engine.model.ModelPackReader.smallFaces(Path.of(smallFaces)));
      };
      ScanService scans = new ScanService(store, service, audit, engine, VideoLimits.DEFAULT);
      var gallery = service.searchable("eval");
      Random rnd = new Random(seed);
      SceneScores scores = new SceneScores(smallWidths);
      List<SceneScores.Scored> scored = new ArrayList<>();
      int falseTracks = 0, appearances = 0;
      List<SceneScores.Scripted> watched = new ArrayList<>(); // every watchlist appearance, scored or missed
      for (int s = 0; s < scenes; s++) {
        List<Path> cast = new ArrayList<>(List.of(people.get(2 * s), people.get(2 * s + 1)));
        cast.addAll(people.subList(watchlist + s * strangers, watchlist + (s + 1) * strangers));
        java.util.Set<String> unknown = new java.util.HashSet<>(cast.subList(2, cast.size()).stream()
            .map(p -> p.getFileName().toString()).toList());
        List<Path> headPhotos = new ArrayList<>();
        List<IdentityScenes.Cast> roles = new ArrayList<>();
        for (Path p : cast) {
          headPhotos.add(photos(p).get(1));
          headPhotos.add(photos(p).get(2));
          roles.add(new IdentityScenes.Cast(p.getFileName().toString(), headPhotos.size() - 2, headPhotos.size() - 1,
              smallWidths.get(rnd.nextInt(smallWidths.size()))));
        }
        Collections.shuffle(roles, rnd);
        SceneRenderer renderer = new SceneRenderer(TrackingBenchmark.heads(engine, headPhotos), h264, blurFrames);
        Scene scene = IdentityScenes.scene("scene-" + (s + 1), roles, rnd);
        Path video = dir.resolve(scene.name() + ".mp4");
        renderer.render(scene, video);
        ScanService.VideoScanned v = scans.scanVideo("eval", "eval.scenes", video, video.toString(), "eval",
            new ScanService.Options(fps, policy, 5, true), (t, info) -> { });
        List<Track> tracks = v.scan().tracks();
        int[] truth = IdentityScenes.truth(scene, renderer, tracks);
        List<IdentityScenes.Appearance> script = IdentityScenes.appearances(scene);
        int first = appearances;
        appearances += script.size();
        java.util.Set<Integer> found = java.util.Arrays.stream(truth).boxed().collect(java.util.stream.Collectors.toSet());
        for (int a = 0; a < script.size(); a++) {
          watched.add(unknown.contains(script.get(a).person()) ? null : new SceneScores.Scripted(script.get(a).faceWidth(), found.contains(a)));
        }
        for (int i = 0; i < tracks.size(); i++) {
          if (truth[i] < 0) {
            falseTracks++;
            continue;
          }
          IdentityScenes.Appearance a = script.get(truth[i]);
          Identification id = v.ids().get(i);
          Identification own = id.carried() == null ? id : new Identification(id.candidates(), null, id.threshold(), null, id.templates(),
              List.of()).asSmallFace(id.smallFace());
          float[] template = tracks.get(i).template();
          if (bestFrames != org.likeness.video.track.Track.TEMPLATE_FRAMES) { // another template than the scan's
            template = bestFrames == 0 ? tracks.get(i).meanTemplate() : tracks.get(i).bestFramesTemplate(bestFrames);
            own = gallery.identify(template, tracks.get(i).faceSize(), 5, policy);
          }
          scored.add(new SceneScores.Scored(s, i + 1, a.person(), !unknown.contains(a.person()), a.faceWidth(), own,
              template, tracks.get(i).sightings().stream().mapToDouble(Sighting::time).toArray(), tracks.get(i).faceSize(), first + truth[i]));
        }
        err.println("eval scenes: " + scene.name() + ", " + tracks.size() + " tracks");
      }
      if (dump != null) {
        writeTracks(scored);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("scenes", scenes);
      out.put("strangersPerScene", strangers);
      out.put("h264Kbps", h264 == 0 ? null : h264);
      out.put("watchlist", watchlist);
      out.put("enrolledPhotos", enrolled);
      out.put("augment", augment);
      out.put("smallFaces", smallFaces);
      out.put("blurFrames", blurFrames);
      out.put("bestFrames", bestFrames);
      out.put("suspects", service.suspectFaces().list("eval").size());
      out.put("appearances", appearances);
      out.put("tracks", scored.size() + falseTracks);
      out.put("falseTracks", falseTracks);
      out.put("watchlistAppearances", scores.found(watched));
      List<Map<String, Object>> rules = new ArrayList<>();
      rules.add(scores.row("own decisions (no links)", scored, scored.stream().map(SceneScores.Scored::own).toList(), null));
      Carrying product = Carrying.forCalibration(engine.verifier().calibration());
      Carrying unchecked = new Carrying(Double.NEGATIVE_INFINITY);
      for (double rate : LINK_FMRS) {
        double threshold = engine.pack().recognizer().similarityAt(rate, 0.6);
        String at = String.format(java.util.Locale.ROOT, "links at FMR %.0e (%.4f)", rate, threshold);
        rules.add(scores.row("carried along " + at + (rate == TrackLinker.LINK_FMR ? ", the default" : ""), scored,
            SceneScores.carry(scored, new TrackLinker(threshold), product), threshold));
        rules.add(scores.row("carried along " + at + ", the name among its own candidates at any score", scored, SceneScores.carry(scored, new TrackLinker(threshold), unchecked),
            threshold));
      }
      out.put("rules", rules);
      if (impostors != null) {
        out.put("trackImpostors", scores.trackImpostors(scored, engine.verifier().calibration(), policy, impostors, root));
      }
      spec.commandLine().getOut().println(new Json().write(out));
      return 0;
    }
  }

  private void writeTracks(List<SceneScores.Scored> scored) throws java.io.IOException {
    Json json = new Json();
    List<String> lines = new ArrayList<>();
    for (SceneScores.Scored s : scored) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scene", s.scene() + 1);
      m.put("track", s.track());
      m.put("person", s.person());
      m.put("watchlisted", s.watchlisted());
      m.put("width", s.width());
      m.put("samples", s.times().length);
      m.put("template", s.template());
      lines.add(json.write(m));
    }
    Files.write(dump, lines);
  }

  private static List<Path> photos(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jpg")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
