package org.likeness.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import org.likeness.gallery.io.GalleryArchive;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code likeness gallery create|list|stats|export|import}. */
@Command(name = "gallery", mixinStandardHelpOptions = true, description = "Create, list, inspect, export and import galleries.")
final class GalleryCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  static Map<String, Object> json(GalleryStore store, GalleryInfo g) {
    long[] counts = store.counts(g.id());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", g.name());
    m.put("pack", g.packId());
    m.put("dimension", g.dimension());
    m.put("subjects", counts[0]);
    m.put("faces", counts[1]);
    m.put("created", g.created().toString());
    return m;
  }

  /** {@code gallery create NAME [--pack P]}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a gallery pinned to a model pack.")
  static final class Create implements Callable<Integer> {
    private final Map<String, String> env;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--pack", description = "Model pack (default: ${DEFAULT-VALUE}).") String pack = ModelCache.DEFAULT_PACK;
    @Option(names = "--json") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Create(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      ModelPack p = ModelCache.fromEnvironment(env).open(pack);
      try (GalleryStore store = Home.store(env)) {
        GalleryInfo g = store.createGallery(name, p.id(), p.recognizer().embeddingSize());
        LocalAudit.append(env, "gallery.create", g.name(), Map.of("pack", g.packId()), Map.of("gallery", g.id()));
        var out = spec.commandLine().getOut();
        out.println(json ? new Json().write(GalleryCommand.json(store, g)) : "created gallery " + g.name() + " (pack " + g.packId() + ")");
        return 0;
      }
    }
  }

  /** {@code gallery list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List galleries.")
  static final class ListGalleries implements Callable<Integer> {
    private final Map<String, String> env;
    @Option(names = "--json") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    ListGalleries(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      try (GalleryStore store = Home.store(env)) {
        List<Map<String, Object>> all = store.galleries().stream().map(g -> GalleryCommand.json(store, g)).toList();
        var out = spec.commandLine().getOut();
        if (json) {
          out.println(new Json().write(Map.of("galleries", all)));
        } else {
          all.forEach(m -> out.printf(Locale.ROOT, "%-24s pack %-24s %6s subjects %7s faces%n", m.get("name"), m.get("pack"),
              m.get("subjects"), m.get("faces")));
        }
        return 0;
      }
    }
  }

  /** {@code gallery stats NAME}. */
  @Command(name = "stats", mixinStandardHelpOptions = true, description = "Counts of a gallery.")
  static final class Stats implements Callable<Integer> {
    private final Map<String, String> env;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--json") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Stats(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      try (GalleryStore store = Home.store(env)) {
        Map<String, Object> m = GalleryCommand.json(store, store.requireGallery(name));
        var out = spec.commandLine().getOut();
        if (json) {
          out.println(new Json().write(m));
        } else {
          m.forEach((k, v) -> out.printf(Locale.ROOT, "%-10s %s%n", k, v));
        }
        return 0;
      }
    }
  }

  /** {@code gallery export NAME FILE}. */
  @Command(name = "export", mixinStandardHelpOptions = true, description = "Write a gallery to a versioned archive file.")
  static final class Export implements Callable<Integer> {
    private final Map<String, String> env;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1", paramLabel = "FILE") Path file;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Export(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      try (GalleryStore store = Home.store(env)) {
        int faces = GalleryArchive.export(store, store.requireGallery(name), file);
        LocalAudit.append(env, "gallery.export", name, Map.of("file", file.toAbsolutePath().toString()), Map.of("faces", faces));
        spec.commandLine().getErr().println("exported " + faces + " faces of gallery " + name + " to " + file);
        return 0;
      }
    }
  }

  /** {@code gallery import FILE [--as NAME]}. */
  @Command(name = "import", mixinStandardHelpOptions = true, description = "Create a gallery from an archive file.")
  static final class Import implements Callable<Integer> {
    private final Map<String, String> env;
    @Parameters(index = "0", paramLabel = "FILE") Path file;
    @Option(names = "--as", paramLabel = "NAME", description = "Name for the imported gallery (default: the archived name).") String as;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Import(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      try (GalleryStore store = Home.store(env)) {
        GalleryInfo g = GalleryArchive.importFrom(store, file, as);
        long[] c = store.counts(g.id());
        LocalAudit.append(env, "gallery.import", g.name(), Map.of("file", file.toAbsolutePath().toString()),
            Map.of("subjects", c[0], "faces", c[1]));
        spec.commandLine().getErr().println("imported gallery " + g.name() + ": " + c[0] + " subjects, " + c[1] + " faces");
        return 0;
      }
    }
  }
}
