package org.likeness.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.likeness.engine.model.convert.DlibResNetConverter;
import org.likeness.engine.verify.FmrTable;

/**
 * Reads a pack folder: its {@code pack.json} manifest (format 1) and the ONNX files it lists, each
 * checked against its sha256 before any model is loaded.
 */
public final class ModelPackReader {
  /** The manifest format this reader understands. */
  public static final int FORMAT = 1;
  /** Manifest file name inside a pack folder. */
  public static final String MANIFEST = "pack.json";

  private final ObjectMapper json = new ObjectMapper();

  /** Loads and verifies the pack in {@code dir}. */
  public ModelPack read(Path dir) {
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      throw new ModelPackException("no model pack at " + dir + " (missing " + MANIFEST
          + "); run scripts/fetch-models.sh for the default pack, or set LIKENESS_MODELS");
    }
    JsonNode root;
    try {
      root = json.readTree(manifest.toFile());
    } catch (IOException e) {
      throw new ModelPackException("unreadable manifest " + manifest + ": " + e.getMessage(), e);
    }
    int format = root.path("format").asInt(-1);
    if (format != FORMAT) {
      throw new ModelPackException(manifest + ": manifest format " + format + " is not supported (expected " + FORMAT + ")");
    }
    String id = text(root, "id", manifest);
    Map<String, String> sums = new HashMap<>();
    Set<String> checked = new HashSet<>();
    for (JsonNode f : root.path("files")) {
      String path = text(f, "path", manifest), sha = text(f, "sha256", manifest).toLowerCase(Locale.ROOT);
      sums.put(path, sha);
      // A derived file is made again when missing or not the one the manifest pins (a converter that
      // changed, a file damaged since): it is only ever a function of its checked source. One that
      // matches is not hashed a second time below.
      if (f.has("from")) {
        Path file = dir.resolve(path);
        if (Files.isRegularFile(file) && sha256(file).equals(sha)) {
          checked.add(path);
        } else {
          convert(id, dir, path, f.get("from"), manifest);
        }
      }
    }
    for (Map.Entry<String, String> e : sums.entrySet()) {
      if (!checked.contains(e.getKey())) {
        verify(id, dir.resolve(e.getKey()), e.getValue());
      }
    }
    JsonNode det = root.path("detector");
    JsonNode rec = root.path("recognizer");
    JsonNode confirm = det.path("confirm");
    DetectorSpec detector = new DetectorSpec(model(dir, det, sums, manifest),
        (float) det.path("scoreThreshold").asDouble(0.7), (float) det.path("nmsIou").asDouble(0.4),
        confirm.isMissingNode() ? null : new DetectorSpec.Confirm(model(dir, confirm, sums, manifest),
            (float) confirm.path("scoreThreshold").asDouble(0.5)));
    ModelSpec landmarks = model(dir, root.path("landmarks"), sums, manifest);
    RecognizerSpec recognizer = recognizer(dir, rec, sums, manifest);
    return new ModelPack(id, root.path("version").asText(""), root.path("licence").asText(""),
        root.path("origin").asText(""), root.path("supersededBy").asText(""), dir, detector, landmarks, recognizer);
  }

  /**
   * The {@code recognizer} section: one network ({@code file}, {@code input}, {@code embeddingSize}),
   * or score fusion of several ({@code fusion}: a list of those, each with a {@code weight} and
   * optionally its own {@code template}; the weights sum to 1 and {@code embeddingSize}, when given,
   * is the members' total).
   */
  private static RecognizerSpec recognizer(Path dir, JsonNode rec, Map<String, String> sums, Path manifest) {
    String template = text(rec, "template", manifest);
    double threshold = rec.path("threshold").asDouble();
    if (!(threshold > -1 && threshold < 1)) {
      throw new ModelPackException(manifest + ": recognizer needs a threshold in (-1, 1)");
    }
    var calibration = calibration(rec.path("calibration"), manifest);
    var small = smallFaces(dir, rec.path("smallFaces"), manifest);
    try {
      if (!rec.has("fusion")) {
        int size = rec.path("embeddingSize").asInt();
        if (size <= 0) {
          throw new ModelPackException(manifest + ": recognizer needs a positive embeddingSize");
        }
        return RecognizerSpec.single(model(dir, rec, sums, manifest), template, size, threshold, calibration).withSmallFaces(small);
      }
      List<RecognizerSpec.Member> members = new ArrayList<>();
      int total = 0;
      for (JsonNode m : rec.path("fusion")) {
        int size = m.path("embeddingSize").asInt();
        members.add(new RecognizerSpec.Member(model(dir, m, sums, manifest), m.path("template").asText(template), size,
            m.path("weight").asDouble()));
        total += size;
      }
      return new RecognizerSpec(members, rec.path("embeddingSize").asInt(total), threshold, calibration, small);
    } catch (IllegalArgumentException e) {
      throw new ModelPackException(manifest + ": recognizer: " + e.getMessage(), e);
    }
  }

  private static ModelSpec model(Path dir, JsonNode node, Map<String, String> sums, Path manifest) {
    if (node.isMissingNode()) {
      throw new ModelPackException(manifest + ": missing model section");
    }
    String file = text(node, "file", manifest);
    if (!sums.containsKey(file)) {
      throw new ModelPackException(manifest + ": model file " + file + " is not listed with a sha256 under \"files\"");
    }
    JsonNode in = node.path("input");
    ColorOrder order;
    try {
      order = ColorOrder.valueOf(text(in, "colorOrder", manifest).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ModelPackException(manifest + ": colorOrder must be RGB, BGR or GRAY");
    }
    try {
      InputSpec spec = new InputSpec(in.path("name").asText(""), in.path("width").asInt(), in.path("height").asInt(),
          order, floats(in.path("mean")), floats(in.path("std")));
      return new ModelSpec(dir.resolve(file).normalize(), node.path("architecture").asText("embedding"), spec);
    } catch (IllegalArgumentException e) {
      throw new ModelPackException(manifest + ": bad input for " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A {@code smallFaces} section kept in a file of its own (as {@code eval degrade
   * --fit-small-faces} writes it), its map beside it: for studies of a rule not yet in a pack.
   */
  public static org.likeness.engine.verify.SmallFaces smallFaces(Path section) {
    try {
      return smallFaces(section.toAbsolutePath().getParent(), new ObjectMapper().readTree(section.toFile()), section);
    } catch (java.io.IOException e) {
      throw new ModelPackException(section + ": unreadable small-face section: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code smallFaces} section (measured, like the calibration): {@code {"below": PX, "map":
   * {"file", "sha256"}, "calibration": {...}, "tracks": {"calibration": {...}}}} ({@code tracks}
   * optional: templates of several frames); the map file is checked against its sha256.
   */
  private static org.likeness.engine.verify.SmallFaces smallFaces(Path dir, JsonNode n, Path manifest) {
    if (n.isMissingNode()) {
      return null;
    }
    Path path = dir.resolve(text(n.path("map"), "file", manifest)).normalize();
    verify(manifest.toString(), path, text(n.path("map"), "sha256", manifest));
    try {
      return new org.likeness.engine.verify.SmallFaces(n.path("below").asDouble(), org.likeness.engine.verify.LowResolutionMap.read(path),
          calibration(n.path("calibration"), manifest), calibration(n.path("tracks").path("calibration"), manifest));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new ModelPackException(manifest + ": bad smallFaces section: " + e.getMessage(), e);
    }
  }

  /** The {@code calibration} section: {@code {"impostorPairs": N, "source": "...", "points": [[rate, threshold], ...]}}. */
  private static FmrTable calibration(JsonNode n, Path manifest) {
    if (n.isMissingNode()) {
      return null;
    }
    try {
      List<FmrTable.Point> points = new ArrayList<>();
      for (JsonNode p : n.path("points")) {
        points.add(new FmrTable.Point(p.get(0).asDouble(), p.get(1).asDouble()));
      }
      return new FmrTable(points, n.path("impostorPairs").asLong(), n.path("source").asText(""));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ModelPackException(manifest + ": bad calibration section: " + e.getMessage(), e);
    }
  }

  private static float[] floats(JsonNode arr) {
    float[] f = new float[arr.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) arr.get(i).asDouble();
    }
    return f;
  }

  private static String text(JsonNode node, String field, Path manifest) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ModelPackException(manifest + ": missing field '" + field + "'");
    }
    return v.asText();
  }

  /**
   * Produces a file the manifest derives from another ({@code "from": {"path", "sha256",
   * "converter"}}), when it is missing or does not match its pin: the source is checked against its
   * sha256, converted, and the result is then checked like every file. Conversion is deterministic, so the
   * manifest pins its output too.
   */
  private static void convert(String pack, Path dir, String path, JsonNode from, Path manifest) {
    Path source = dir.resolve(text(from, "path", manifest));
    verify(pack, source, text(from, "sha256", manifest).toLowerCase(Locale.ROOT));
    String converter = text(from, "converter", manifest);
    try {
      switch (converter) {
        case "dlib-resnet" -> DlibResNetConverter.convert(source, dir.resolve(path));
        default -> throw new ModelPackException(manifest + ": unknown converter '" + converter + "' (dlib-resnet)");
      }
    } catch (IOException e) {
      throw new ModelPackException("model pack " + pack + ": converting " + source + " failed: " + e.getMessage(), e);
    }
  }

  private static void verify(String pack, Path file, String expected) {
    if (!Files.isRegularFile(file)) {
      throw new ModelPackException("model pack " + pack + ": missing file " + file);
    }
    String actual = sha256(file);
    if (!actual.equals(expected)) {
      throw new ModelPackException("model pack " + pack + ": " + file + " has sha256 " + actual + ", manifest says " + expected);
    }
  }

  /** Hex sha256 of a file. */
  public static String sha256(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new ModelPackException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
