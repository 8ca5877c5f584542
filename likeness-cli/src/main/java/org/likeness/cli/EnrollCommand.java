package org.likeness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.enroll.BulkSource;
import org.likeness.gallery.enroll.EnrollItem;
import org.likeness.gallery.enroll.EnrollOutcome;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.service.Shapes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code likeness enroll --gallery NAME --subject SUBJECT IMAGE...} and
 * {@code likeness enroll --gallery NAME DIR|FILE.csv} (bulk: resumable, idempotent, with a report).
 */
@Command(name = "enroll", mixinStandardHelpOptions = true,
    description = "Enrol images of a subject, or in bulk from a folder tree (one sub-folder per subject) or a CSV (subject,image).")
final class EnrollCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Mixin
  EngineArgs engineArgs;

  @Option(names = "--gallery", required = true, paramLabel = "NAME")
  String gallery;

  @Option(names = "--subject", paramLabel = "SUBJECT", description = "Subject the images show; without it the argument is a folder or CSV.")
  String subject;

  @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR|FILE.csv")
  List<Path> inputs;

  @Option(names = "--store-crops", description = "Also keep each face's 112x112 aligned crop (off by default).")
  boolean storeCrops;

  @Option(names = "--allow-low-quality", description = "Enrol faces that fail the quality check.")
  boolean allowLowQuality;

  @Option(names = "--largest-face", description = "Take the largest face of a multi-face image instead of rejecting it.")
  boolean largestFace;

  @Option(names = "--workers", description = "Images processed at once (default: cores).")
  Integer workers;

  @Option(names = "--report", paramLabel = "FILE", description = "Write every outcome as JSON lines to FILE.")
  Path report;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  EnrollCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    List<EnrollItem> items = new ArrayList<>();
    if (subject != null) {
      for (Path p : inputs) { // a typo in a path fails before anything is enrolled
        if (!Files.exists(p)) {
          throw new InputException(p + ": no such file");
        }
        if (Files.isDirectory(p)) {
          throw new InputException(p + " is a folder: with --subject give image files; without it, one folder of sub-folders");
        }
        items.add(new EnrollItem(subject, p));
      }
    } else {
      if (inputs.size() != 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "without --subject give one folder or one CSV file");
      }
      Path source = inputs.get(0);
      if (!Files.exists(source)) {
        throw new InputException(source + ": no such file or folder");
      }
      try {
        items.addAll(BulkSource.read(source));
      } catch (IOException e) {
        throw new InputException("cannot read " + source + ": " + e.getMessage());
      }
      if (items.isEmpty()) {
        throw new InputException(Files.isDirectory(source)
            ? source + " has no images in sub-folders: bulk enrolment takes one sub-folder per subject (DIR/SUBJECT/*.jpg), "
                + "or use --subject SUBJECT with image files"
            : source + " lists no images (a CSV with lines subject,image)");
      }
    }
    var err = spec.commandLine().getErr();
    int cores = Runtime.getRuntime().availableProcessors();
    try (FaceEngine engine = engineArgs.open(env); LocalGalleries local = LocalGalleries.open(env, engine)) {
      ProgressBar bar = new ProgressBar(err, "enroll", items.size(), System.console() != null);
      AtomicInteger done = new AtomicInteger();
      long start = System.nanoTime();
      var options = new Enroller.Options(!allowLowQuality, storeCrops, largestFace ? Enroller.MultiFace.LARGEST : Enroller.MultiFace.REJECT);
      List<EnrollOutcome> outcomes = local.service().enroll(LocalGalleries.actor(), gallery, items, options, workers != null ? workers : cores, o -> {
            synchronized (bar) {
              bar.update(done.incrementAndGet());
            }
          });
      int enrolled = 0, already = 0, rejected = 0;
      List<Shapes.EnrollShown> lines = new ArrayList<>();
      for (EnrollOutcome o : outcomes) {
        switch (o.status()) {
          case ENROLLED -> enrolled++;
          case ALREADY_ENROLLED -> already++;
          case REJECTED -> {
            rejected++;
            err.println("rejected: " + o.reason());
          }
        }
        lines.add(Shapes.enrollOutcome(o));
      }
      Json j = new Json();
      if (report != null) {
        Files.write(report, lines.stream().map(j::write).toList());
      }
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("gallery", gallery);
      summary.put("items", items.size());
      summary.put("enrolled", enrolled);
      summary.put("alreadyEnrolled", already);
      summary.put("rejected", rejected);
      double seconds = (System.nanoTime() - start) / 1e9;
      summary.put("seconds", Json.round(seconds));
      summary.put("imagesPerSecond", Json.round(items.size() / seconds));
      // Enrolment hygiene: faces that disagree with the rest of their subject are kept out of decisions.
      java.util.Set<Long> mine = new java.util.HashSet<>();
      outcomes.forEach(o -> mine.add(o.faceId()));
      List<org.likeness.gallery.service.Shapes.SuspectShown> suspects = new ArrayList<>(); // as `subjects check` and the REST API show them
      for (var x : local.service().suspectFaces().list(gallery)) {
        if (mine.contains(x.faceId())) {
          suspects.add(org.likeness.gallery.service.Shapes.suspect(x));
          err.printf(java.util.Locale.ROOT, "flagged: face %d of %s disagrees with its other faces (agreement %.3f): kept out of "
              + "decisions until confirmed (subjects check / confirm-face)%n", x.faceId(), x.subject(), x.agreement());
        }
      }
      summary.put("suspects", suspects);
      if (json) {
        summary.put("outcomes", lines);
      }
      spec.commandLine().getOut().println(j.write(summary));
      // The summary is printed either way; a rejected image (unreadable, no face, several faces,
      // low quality) is bad input, so scripts can tell a clean run from one to look at.
      return rejected > 0 ? Main.EXIT_INPUT : 0;
    }
  }
}
