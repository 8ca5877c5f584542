package org.likeness.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.likeness.engine.align.FaceAligner;
import org.likeness.engine.detect.DetectOptions;
import org.likeness.engine.detect.Detection;
import org.likeness.engine.detect.FaceConfirmer;
import org.likeness.engine.detect.FaceDetector;
import org.likeness.engine.embed.FaceEmbedder;
import org.likeness.engine.geom.Box;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.engine.image.ImageDecoder;
import org.likeness.engine.image.RgbImage;
import org.likeness.engine.landmark.LandmarkModel;
import org.likeness.engine.landmark.Landmarks;
import org.likeness.engine.model.DetectorSpec;
import org.likeness.engine.model.ModelPack;
import org.likeness.engine.model.OnnxModel;
import org.likeness.engine.model.SessionTuner;
import org.likeness.engine.model.Workers;
import org.likeness.engine.quality.QualityAssessor;
import org.likeness.engine.verify.Verifier;

/**
 * The face pipeline: decode, detect, landmarks, align, quality, embed. Built once from a verified
 * {@link ModelPack}; thread-safe, so one engine serves a whole process.
 */
public final class FaceEngine implements AutoCloseable {
  private final ModelPack pack;
  private final ImageDecoder decoder;
  private final OnnxModel detectorModel;
  private final OnnxModel landmarkModel;
  private final List<OnnxModel> recognizerModels;
  private final FaceDetector detector;
  private final OnnxModel confirmModel;
  private final FaceConfirmer confirmer;
  private final LandmarkModel landmarks;
  private final FaceAligner aligner;
  private final List<FaceAligner> aligners;
  private final FaceEmbedder embedder;
  private final QualityAssessor quality;
  private final Verifier verifier;
  private final DetectOptions detectOptions;
  private final Workers workers;
  private final List<SessionTuner.Choice> sessionChoices;

  /**
   * Loads the pack's models. If one fails to load, what was already opened is closed before the
   * failure propagates (native sessions and threads are not left behind).
   */
  public FaceEngine(ModelPack pack, EngineOptions options) {
    this.pack = pack;
    this.decoder = new ImageDecoder(options.imageLimits());
    List<AutoCloseable> opened = new ArrayList<>();
    // Graph optimisation per model and CPU, measured once and remembered beside the model cache.
    SessionTuner tuner = new SessionTuner(pack.dir().toAbsolutePath().getParent().resolve("ort-tuning.json"));
    List<SessionTuner.Choice> choices = new ArrayList<>();
    try {
      this.workers = opened(opened, new Workers(options.threads()));
      this.detectorModel = opened(opened, tuned(tuner, pack.detector().model(), options.intraOpThreads(), choices));
      DetectorSpec.Confirm confirm = pack.detector().confirm();
      this.confirmModel = confirm == null ? null : opened(opened, tuned(tuner, confirm.model(), options.intraOpThreads(), choices));
      this.landmarkModel = opened(opened, tuned(tuner, pack.landmarks(), options.intraOpThreads(), choices));
      List<OnnxModel> recognizers = new ArrayList<>();
      for (var m : pack.recognizer().members()) {
        recognizers.add(opened(opened, tuned(tuner, m.model(), options.intraOpThreads(), choices)));
      }
      this.recognizerModels = List.copyOf(recognizers);
      this.sessionChoices = List.copyOf(choices);
    } catch (RuntimeException | Error e) {
      closeAll(opened.reversed(), e);
      throw e;
    }
    this.detector = new FaceDetector(detectorModel, workers, pack.detector().model().architecture());
    this.confirmer = confirmModel == null ? null : new FaceConfirmer(confirmModel, workers,
        pack.detector().confirm().model().architecture(), pack.detector().confirm().scoreThreshold());
    this.landmarks = new LandmarkModel(landmarkModel);
    // Every face is aligned once per template: the ArcFace crop (reviewers, quality) first, then any
    // other template a network was trained on; networks sharing a template share its crop.
    List<String> templates = pack.recognizer().templates();
    this.aligners = templates.stream().map(FaceAligner::forTemplate).toList();
    this.aligner = aligners.get(0);
    List<FaceEmbedder.Part> parts = new ArrayList<>();
    for (int i = 0; i < recognizerModels.size(); i++) {
      var m = pack.recognizer().members().get(i);
      parts.add(new FaceEmbedder.Part(recognizerModels.get(i), templates.indexOf(m.template()), m.embeddingSize(),
          m.weight()));
    }
    this.embedder = new FaceEmbedder(parts, workers, options.flipAverage());
    this.quality = new QualityAssessor(options.quality());
    this.verifier = new Verifier(Double.isNaN(options.threshold()) ? pack.recognizer().threshold() : options.threshold(),
        pack.recognizer().calibration(), pack.recognizer().smallFaces());
    this.detectOptions = options.detect() != null ? options.detect()
        : DetectOptions.defaults(pack.detector().scoreThreshold(), pack.detector().nmsIou());
  }

  public ModelPack pack() {
    return pack;
  }

  public ImageDecoder decoder() {
    return decoder;
  }

  public Verifier verifier() {
    return verifier;
  }

  public DetectOptions detectOptions() {
    return detectOptions;
  }

  /** The detector alone (expert: no landmarks or quality). */
  public FaceDetector detector() {
    return detector;
  }

  public FaceEmbedder embedder() {
    return embedder;
  }

  /** Decodes an image file within the configured limits. */
  public RgbImage decode(Path file) throws ImageDecodeException {
    return decoder.decode(file);
  }

  /** Every face with landmarks, quality and aligned crop, best score first; no embeddings. */
  public List<Face> detect(RgbImage img) {
    return detect(img, detectOptions);
  }

  /** As {@link #detect(RgbImage)} with other detector settings. */
  public List<Face> detect(RgbImage img, DetectOptions opts) {
    List<Detection> found = detector.detect(img, opts);
    if (confirmer != null) {
      found = confirmer.confirm(img, found);
    }
    return workers.map(found, d -> {
      Landmarks lm = landmarks.predict(img, d.box());
      return face(img, d.box(), d.score(), lm);
    });
  }

  /** A face aligned to every template, its quality judged on the ArcFace crop. */
  private Face face(RgbImage img, Box box, float score, Landmarks lm) {
    List<RgbImage> crops = aligners.stream().map(a -> a.align(img, lm.fivePoints())).toList();
    double outside = aligner.outsideFraction(img.width(), img.height(), lm.fivePoints());
    return new Face(box, score, lm, quality.assess(score, lm.fivePoints(), crops.get(0), outside), crops, null);
  }

  /** Every face, embedded. */
  public List<Face> analyze(RgbImage img) {
    return embed(detect(img));
  }

  /** The faces with embeddings computed in one batch. */
  public List<Face> embed(List<Face> faces) {
    List<float[]> e = embedder.embedAll(faces.stream().map(Face::crops).toList());
    List<Face> out = new ArrayList<>(faces.size());
    for (int i = 0; i < faces.size(); i++) {
      out.add(faces.get(i).withEmbedding(e.get(i)));
    }
    return out;
  }

  /**
   * The face whose box centre is nearest the image centre, embedded: the labelled person of a
   * face-centred photo (LFW and most dataset crops), whoever else is in the frame. Empty when no
   * face is found.
   */
  public Optional<Face> central(RgbImage img) {
    return detect(img).stream().min(centreFirst(img)).map(f -> embed(List.of(f)).get(0));
  }

  /** Orders faces of {@code img} by how far their box centre lies from the image centre, nearest first. */
  public static Comparator<Face> centreFirst(RgbImage img) {
    double cx = img.width() / 2.0, cy = img.height() / 2.0;
    return Comparator.comparingDouble((Face f) -> Math.hypot(f.box().center().x() - cx, f.box().center().y() - cy));
  }

  /**
   * Expert fallback for a face-centred crop in which the detector finds nothing: the landmark model
   * is run on the central square ({@code fraction} of the shorter side) as if the detector had put a
   * box there, and that face is aligned and embedded. Its score is 0 and its quality says why:
   * callers must flag results that rest on it.
   */
  public Face centredFallback(RgbImage img, double fraction) {
    double side = fraction * Math.min(img.width(), img.height());
    Box box = new Box((img.width() - side) / 2, (img.height() - side) / 2, side, side);
    return embed(List.of(face(img, box, 0f, landmarks.predict(img, box)))).get(0);
  }

  /** The most prominent face (largest box, then highest score), embedded; empty when there is none. */
  public Optional<Face> mostProminent(RgbImage img) {
    return detect(img).stream()
        .max(Comparator.comparingDouble((Face f) -> f.box().area()).thenComparingDouble(Face::score))
        .map(f -> embed(List.of(f)).get(0));
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>(recognizerModels);
    all.addAll(List.of(landmarkModel, detectorModel));
    if (confirmModel != null) {
      all.add(confirmModel);
    }
    all.add(workers);
    RuntimeException failure = closeAll(all, null);
    if (failure != null) {
      throw failure;
    }
  }

  private static OnnxModel tuned(SessionTuner tuner, org.likeness.engine.model.ModelSpec spec, int intraOp,
      List<SessionTuner.Choice> choices) {
    SessionTuner.Choice c = tuner.choose(spec, intraOp);
    choices.add(c);
    return OnnxModel.load(spec, intraOp, c.level());
  }

  /** The graph optimisation level chosen for each model on this CPU, with its measurements (detector, landmarks, recogniser networks). */
  public List<SessionTuner.Choice> sessionChoices() {
    return sessionChoices;
  }

  private static <T extends AutoCloseable> T opened(List<AutoCloseable> opened, T resource) {
    opened.add(resource);
    return resource;
  }

  /**
   * Closes every resource even when some fail: later failures are attached to the first as
   * suppressed (or to {@code primary}, the failure already under way); returns the first when
   * there is no primary.
   */
  private static RuntimeException closeAll(List<? extends AutoCloseable> resources, Throwable primary) {
    RuntimeException first = null;
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        if (primary != null) {
          primary.addSuppressed(e);
        } else if (first == null) {
          first = e instanceof RuntimeException re ? re : new IllegalStateException("close failed", e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
  }
}
