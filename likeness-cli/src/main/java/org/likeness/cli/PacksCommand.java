package org.likeness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.likeness.engine.model.DetectorSpec;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import org.likeness.engine.model.ModelPackException;
import org.likeness.engine.model.ModelPackReader;
import org.likeness.engine.model.RecognizerSpec;
import org.likeness.engine.verify.FmrTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code likeness packs}: the packs installed in the model cache, each opened as a command would open
 * it (every file checked against its sha256), with what it runs and its calibrated threshold. A pack
 * that does not open is listed with the reason, and the exit code says so (3), so a pack added by
 * hand can be checked before a gallery is made with it.
 */
@Command(name = "packs", mixinStandardHelpOptions = true,
    description = "List the installed model packs, each checked against its sha256: detector, recognisers, threshold and its false-match rate.")
final class PacksCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  PacksCommand(Map<String, String> env) {
    this.env = env;
  }

  /** A pack folder of the cache: the pack it opened as, or why it did not open. */
  private record Listed(String id, ModelPack pack, String error) {}

  @Override
  public Integer call() throws IOException {
    Path root = ModelCache.fromEnvironment(env).root();
    List<Path> dirs;
    try (Stream<Path> s = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
      dirs = s.filter(d -> Files.isRegularFile(d.resolve(ModelPackReader.MANIFEST))).sorted().toList();
    }
    List<Listed> listed = new ArrayList<>();
    for (Path dir : dirs) {
      try {
        ModelPack pack = new ModelPackReader().read(dir);
        listed.add(new Listed(pack.id(), pack, null));
      } catch (ModelPackException e) {
        listed.add(new Listed(dir.getFileName().toString(), null, e.getMessage()));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("cache", root.toString());
      r.put("default", ModelCache.DEFAULT_PACK);
      r.put("packs", listed.stream().map(PacksCommand::json).toList());
      out.println(new Json().write(r));
    } else {
      out.println("model packs in " + root + ":");
      listed.forEach(l -> print(out, l));
    }
    if (dirs.isEmpty()) {
      spec.commandLine().getErr().println("likeness: no model pack in " + root + "; run scripts/fetch-models.sh, or set LIKENESS_MODELS");
    }
    boolean allOpen = listed.stream().allMatch(l -> l.pack() != null);
    return allOpen && !dirs.isEmpty() ? 0 : Main.EXIT_MODELS;
  }

  private static Map<String, Object> json(Listed l) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", l.id());
    p.put("ok", l.pack() != null);
    if (l.pack() == null) {
      p.put("error", l.error());
      return p;
    }
    ModelPack pack = l.pack();
    RecognizerSpec rec = pack.recognizer();
    p.put("default", pack.id().equals(ModelCache.DEFAULT_PACK));
    p.put("version", pack.version());
    p.put("supersededBy", pack.supersededBy().isEmpty() ? null : pack.supersededBy());
    p.put("licence", pack.licence());
    Map<String, Object> det = new LinkedHashMap<>();
    det.put("file", fileName(pack.detector().model().file()));
    det.put("architecture", pack.detector().model().architecture());
    det.put("scoreThreshold", Json.round4(pack.detector().scoreThreshold()));
    DetectorSpec.Confirm confirm = pack.detector().confirm();
    if (confirm != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("file", fileName(confirm.model().file()));
      c.put("architecture", confirm.model().architecture());
      c.put("scoreThreshold", Json.round4(confirm.scoreThreshold()));
      det.put("confirm", c);
    }
    p.put("detector", det);
    List<Map<String, Object>> nets = new ArrayList<>();
    for (RecognizerSpec.Member m : rec.members()) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("file", fileName(m.model().file()));
      n.put("template", m.template());
      n.put("embeddingSize", m.embeddingSize());
      n.put("weight", Json.round4(m.weight()));
      nets.add(n);
    }
    p.put("recognizers", nets);
    p.put("embeddingSize", rec.embeddingSize());
    p.put("threshold", Json.round4(rec.threshold()));
    FmrTable t = rec.calibration();
    p.put("fmrAtThreshold", t == null ? null : t.fmrAt(rec.threshold()).json());
    p.put("impostorPairs", t == null ? null : t.impostorPairs());
    return p;
  }

  /** A model file as the pack names it: its own, or {@code other-pack/file} for one it shares. */
  private static String fileName(Path file) {
    return file.getParent().getFileName() + "/" + file.getFileName();
  }

  private static void print(PrintWriter out, Listed l) {
    if (l.pack() == null) {
      out.printf(Locale.ROOT, "  %-34s DOES NOT OPEN: %s%n", l.id(), l.error());
      return;
    }
    ModelPack pack = l.pack();
    RecognizerSpec rec = pack.recognizer();
    StringBuilder recs = new StringBuilder();
    for (RecognizerSpec.Member m : rec.members()) {
      recs.append(recs.isEmpty() ? "" : " + ").append(fileName(m.model().file()));
      if (rec.members().size() > 1) {
        recs.append(" x").append(Json.round4(m.weight()));
      }
    }
    DetectorSpec.Confirm confirm = pack.detector().confirm();
    String detector = pack.detector().model().architecture() + (confirm == null ? "" : " confirmed by " + confirm.model().architecture());
    FmrTable t = rec.calibration();
    out.printf(Locale.ROOT, "  %-34s %s%s%n", pack.id(), pack.id().equals(ModelCache.DEFAULT_PACK) ? "(default) " : "", pack.licence());
    out.printf(Locale.ROOT, "  %-34s detector %s; recogniser %s (%d-d); threshold %s, FMR %s%n", "", detector, recs,
        rec.embeddingSize(), Json.round4(rec.threshold()), t == null ? "not calibrated" : t.fmrAt(rec.threshold()).json());
    if (!pack.supersededBy().isEmpty()) {
      out.printf(Locale.ROOT, "  %-34s superseded by %s (kept so that galleries made with it still open)%n", "",
          pack.supersededBy());
    }
  }
}
