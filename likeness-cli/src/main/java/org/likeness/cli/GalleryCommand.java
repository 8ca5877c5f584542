package org.likeness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.likeness.engine.model.ModelCache;
import org.likeness.engine.model.ModelPack;
import org.likeness.gallery.store.GalleryInfo;
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

  /** {@code gallery create NAME [--pack P]}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a gallery pinned to a model pack.")
  static final class Create implements Callable<Integer> {
    private final Map<String, String> env;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--pack", description = "Model pack (default: ${DEFAULT-VALUE}).") String pack = ModelCache.DEFAULT_PACK;
    @Option(names = "--keep-crops", description = "Keep each enrolled face's crop for reviewers to compare matches with (off by default).")
    boolean keepCrops;
    @Option(names = "--json") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Create(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      ModelPack p = ModelCache.fromEnvironment(env).open(pack);
      try (LocalGalleries local = LocalGalleries.open(env, null)) {
        GalleryInfo g = local.service().create(LocalGalleries.actor(), name, p.id(), p.recognizer().embeddingSize());
        if (keepCrops) {
          local.service().keepCrops(LocalGalleries.actor(), g.name(), true);
        }
        var out = spec.commandLine().getOut();
        out.println(json ? new Json().write(local.service().stats(g.name())) : "created gallery " + g.name() + " (pack " + g.packId() + ")");
        return 0;
      }
    }
  }

  /** {@code gallery settings NAME --keep-crops true|false}. */
  @Command(name = "settings", mixinStandardHelpOptions = true,
      description = "Change a gallery's settings: --keep-crops true keeps each enrolled face's crop for review; false deletes those kept.")
  static final class Settings extends LocalCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--keep-crops", required = true, arity = "1", paramLabel = "true|false") boolean keepCrops;

    Settings(Map<String, String> env) {
      super(env);
    }

    @Override
    Object run(LocalGalleries local, String actor) {
      var m = local.service().keepCrops(actor, name, keepCrops);
      return json ? m : "gallery " + name + (keepCrops ? " keeps enrolment crops from now on"
          : " keeps no enrolment crops; " + m.cropsDeleted() + " deleted");
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
      try (LocalGalleries local = LocalGalleries.open(env, null)) {
        var all = local.service().galleries();
        var out = spec.commandLine().getOut();
        if (json) {
          out.println(new Json().write(Map.of("galleries", all)));
        } else {
          all.forEach(m -> out.printf(Locale.ROOT, "%-24s pack %-24s %6s subjects %7s faces%n", m.name(), m.pack(), m.subjects(),
              m.faces()));
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
      try (LocalGalleries local = LocalGalleries.open(env, null)) {
        var m = local.service().stats(name);
        var out = spec.commandLine().getOut();
        if (json) {
          out.println(new Json().write(m));
        } else {
          org.likeness.gallery.service.Answers.fields(m).forEach((k, v) -> out.printf(Locale.ROOT, "%-10s %s%n", k, v));
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
    @Option(names = "--json", description = "Print {\"gallery\",\"file\",\"faces\"} on stdout.") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Export(Map<String, String> env) {
      this.env = env;
    }

    /** What an export wrote. */
    record Exported(String gallery, String file, int faces) {}

    @Override
    public Integer call() throws Exception {
      try (LocalGalleries local = LocalGalleries.open(env, null)) {
        int faces = local.service().export(LocalGalleries.actor(), name, file);
        if (json) {
          spec.commandLine().getOut().println(new Json().write(new Exported(name, file.toString(), faces)));
        } else {
          spec.commandLine().getErr().println("exported " + faces + " faces of gallery " + name + " to " + file);
        }
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
    @Option(names = "--json", description = "Print the new gallery (as gallery show --json does) on stdout.") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Import(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      try (LocalGalleries local = LocalGalleries.open(env, null)) {
        var g = local.service().importArchive(LocalGalleries.actor(), file, as);
        if (json) {
          spec.commandLine().getOut().println(new Json().write(g));
        } else {
          spec.commandLine().getErr().println("imported gallery " + g.name() + ": " + g.subjects() + " subjects, " + g.faces() + " faces");
        }
        return 0;
      }
    }
  }
}
